"""Issue 11 §9 in Chromium: the province's home page shows Guangdong's 21 cities as a tile map coloured by the chosen
measure, this year beside the last, and a tile opens that city's board — at a desk and on a phone."""
from selenium.webdriver.common.by import By

from conftest import ADMIN_PASSWORD, make_driver, screenshot, today
from test_browser_foundation import click, login, wait_url
from test_browser_forms_keep_typed import api


def test_the_province_sees_its_cities_at_a_glance(server):
    _, session = api(server, "POST", "/api/v1/session", body={"username": "admin", "password": ADMIN_PASSWORD})
    # This year's campaign beside 2022's (other walks may have made it already).
    status, _ = api(server, "POST", "/api/v1/campaigns", session["token"], {"year": today().year, "copyFrom": 2022})
    assert status in (201, 409)

    for width, height in ((1366, 900), (390, 844)):
        driver = make_driver(width, height)
        try:
            login(driver, server, "admin", ADMIN_PASSWORD)
            tiles = driver.find_elements(By.CSS_SELECTOR, "#province-map a.map-tile")
            assert len(tiles) == 21
            assert {t.get_attribute("data-city") for t in tiles} >= {"广州市", "韶关市", "湛江市", "汕头市"}
            # The map fits the screen and 粤北 lies above 珠三角, 粤西 left of 粤东.
            box = driver.find_element(By.ID, "province-map").rect
            assert box["width"] <= width
            def where(city):
                return driver.find_element(By.CSS_SELECTOR, f'a.map-tile[data-city="{city}"] rect').rect
            assert where("韶关市")["y"] < where("广州市")["y"] and where("湛江市")["x"] < where("汕头市")["x"]
            assert "图例" in driver.page_source and driver.find_element(By.ID, "year-compare").is_displayed()
            assert "2022年" in driver.find_element(By.ID, "year-compare").text
            screenshot(driver, f"11-9-province-map-{width}")
            # Another measure, then a city's tile opens that city's weekly board.
            click(driver, By.LINK_TEXT, "每周达标率")
            wait_url(driver, "measure=compliance")
            assert "每周达标率" in driver.find_element(By.CSS_SELECTOR, "#province h2").text
            old = driver.find_element(By.TAG_NAME, "html")
            driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.ID, "province-map"))
            click(driver, By.CSS_SELECTOR, 'a.map-tile[data-city="韶关市"]')
            wait_url(driver, "/compliance")
            assert "orgId=" in driver.current_url and "韶关市" in driver.page_source
            del old
        finally:
            driver.quit()
