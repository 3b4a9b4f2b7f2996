"""Scrapy settings for stepback. The crawl runner overrides politeness settings with -s."""

BOT_NAME = "stepback"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# Who is asking and where to complain; the runner passes the configured one.
USER_AGENT = "stepback/0.1 (+https://github.com/stepback-jobs/stepback)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 20

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# scrapers.middlewares.PoliteRetryMiddleware: 1 s, 2 s, 4 s... between retries, at most 30 s;
# a Retry-After on 429/503 is honoured up to 120 s and pauses the whole host.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 120.0

# Job pages are tens of kilobytes; sitemaps raise their own limit (scrapers.spiders.sitemap).
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapers.middlewares.StayOnSiteMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.PoliteRetryMiddleware": 550,
    "scrapers.middlewares.OversizeMiddleware": 540,
}

ITEM_PIPELINES = {"scrapers.pipelines.ValidatePostingPipeline": 100}

FEED_EXPORT_ENCODING = "utf-8"

REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

LOG_LEVEL = "INFO"
