"""The bundled demo job board: HTML pages with schema.org JSON-LD, a Greenhouse Job Board
API and EntertainmentCareers.net-style RSS feeds, served over real HTTP on 127.0.0.1."""

from stepback.demoboard.catalog import load_postings
from stepback.demoboard.server import DemoBoard, serve

__all__ = ["DemoBoard", "load_postings", "serve"]
