-- Run once by the postgres image when its volume is new: the lake's catalog gets its own
-- database beside Airflow's metadata (same server, same role).
CREATE DATABASE stepback;
