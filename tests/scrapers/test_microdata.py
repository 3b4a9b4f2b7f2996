from parsel import Selector

from scrapers.microdata import microdata_items


def items(html):
    return microdata_items(Selector(text=html))


def test_values_follow_the_element_kind():
    html = """<div itemscope itemtype="https://schema.org/JobPosting">
      <a itemprop="url" href="/jobs/1/">link</a>
      <img itemprop="image" src="/logo.png">
      <meta itemprop="datePosted" content="2026-11-20">
      <time itemprop="validThrough" datetime="2026-12-01">Dec 1</time>
      <data itemprop="identifier" value="J-1">Job one</data>
      <span itemprop="employmentType" content="FULL_TIME">Full time</span>
      <span itemprop="title"> Grip <b>II</b> </span>
    </div>"""
    assert items(html) == [{
        "@type": "https://schema.org/JobPosting", "url": "/jobs/1/", "image": "/logo.png",
        "datePosted": "2026-11-20", "validThrough": "2026-12-01", "identifier": "J-1",
        "employmentType": "FULL_TIME", "title": " Grip II ",
    }]


def test_nested_items_keep_their_own_properties():
    html = """<div itemscope itemtype="http://schema.org/JobPosting">
      <span itemprop="title">Gaffer</span>
      <div itemprop="hiringOrganization" itemscope itemtype="http://schema.org/Organization">
        <span itemprop="name">Lumen Grip &amp; Electric</span>
      </div>
      <span itemprop="name">Gaffer (name)</span>
    </div>"""
    [item] = items(html)
    assert item["hiringOrganization"] == {
        "@type": "http://schema.org/Organization", "name": "Lumen Grip & Electric"
    }
    assert item["name"] == "Gaffer (name)"


def test_repeated_and_multi_name_properties():
    html = """<div itemscope>
      <span itemprop="employmentType">Part time</span>
      <span itemprop="employmentType">Temporary</span>
      <span itemprop="title name">Driver</span>
    </div>"""
    assert items(html) == [{
        "employmentType": ["Part time", "Temporary"], "title": "Driver", "name": "Driver"
    }]


def test_description_keeps_its_markup():
    html = '<div itemscope><div itemprop="description"><p>One</p>two<br>three</div></div>'
    assert items(html) == [{"description": "<p>One</p>two<br>three"}]


def test_only_top_level_items_are_listed():
    html = """<body>
      <div itemscope itemtype="https://schema.org/WebPage">
        <div itemprop="mainEntity" itemscope itemtype="https://schema.org/JobPosting">
          <span itemprop="title">Runner</span>
        </div>
      </div>
      <p itemprop="orphan">not in an item</p>
    </body>"""
    assert items(html) == [{
        "@type": "https://schema.org/WebPage",
        "mainEntity": {"@type": "https://schema.org/JobPosting", "title": "Runner"},
    }]


def test_pages_without_microdata():
    assert items("<html><body><p>nothing</p></body></html>") == []
    assert items("") == []
