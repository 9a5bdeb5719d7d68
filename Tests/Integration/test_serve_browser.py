"""The zoo page in a real headless Chromium (Debian's chromium + chromium-driver, driven by
selenium): the index lists every model, a model's page has a form with a field per feature
(categories as a drop-down); filling and submitting it shows the prediction `zoo predict` gives
for the same row."""
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ROOT
from serve_util import FEATURES, Server, sample_rows, zoo_predict


@pytest.fixture(scope="module")
def server():
    with Server(ROOT / "models", "--no-access-log") as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,1600"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=ChromeService(executable_path=shutil.which("chromedriver")))
    yield driver
    driver.quit()


def test_index_lists_every_model(server, browser, shipped_models, shipped_classifiers):
    browser.get(server.url + "/")
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#models tbody tr td:first-child a")]
    assert names == sorted(p.stem for p in shipped_models + shipped_classifiers)
    # Self-contained: no script, style or image is fetched from another origin.
    for el in browser.find_elements(By.CSS_SELECTOR, "script[src], link[href], img[src]"):
        assert False, f"external resource: {el.get_attribute('outerHTML')}"


def test_form_predicts_what_zoo_predict_does(server, browser, shipped_models):
    rows = sample_rows(3, seed=99)
    for path in shipped_models:
        browser.get(f"{server.url}/models/{path.stem}")
        expected = zoo_predict(path, rows)
        for row, want in zip(rows, expected):
            for name, value in zip(FEATURES, row):
                el = browser.find_element(By.NAME, name)
                if el.tag_name == "select":
                    assert {o.text for o in Select(el).options} == {"Female", "Male"}
                    Select(el).select_by_value(value)
                else:
                    el.clear()
                    el.send_keys(value)
            browser.find_element(By.ID, "submit").click()
            out = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "prediction").get_attribute("data-value"))
            assert float(out) == want, (path.stem, row)


def test_form_shows_errors(server, browser):
    browser.get(f"{server.url}/models/bmi-linear")
    browser.find_element(By.NAME, "Age").clear()
    browser.find_element(By.NAME, "Age").send_keys("old")
    browser.find_element(By.ID, "submit").click()
    msg = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "error").text)
    assert "Age" in msg
