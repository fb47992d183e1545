"""The benchmark catalog as a user of `execagent-tui <name>` relies on it."""

import pytest

from engine.catalog import Catalog, UnknownProjectError


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_catalog_has_the_fifty_benchmark_projects(catalog):
    assert len(catalog) == 50
    names = [p.name.lower() for p in catalog.projects]
    assert len(set(names)) == 50
    assert all(p.url.startswith("https://github.com/") for p in catalog.projects)
    assert "ExecutionAgent" in catalog.source


def test_languages_and_counts(catalog):
    assert catalog.languages() == ["Python", "C++", "Java", "JavaScript", "C"]
    counts = {lang: len(catalog.by_language(lang)) for lang in catalog.languages()}
    assert counts == {"Python": 11, "C++": 8, "Java": 9, "JavaScript": 12, "C": 10}


def test_get_is_case_insensitive(catalog):
    scipy = catalog.get("SciPy")
    assert (scipy.name, scipy.url, scipy.language) == (
        "scipy",
        "https://github.com/scipy/scipy",
        "Python",
    )
    assert catalog.get("rxjava").url == "https://github.com/ReactiveX/RxJava"
    assert catalog.get(" chart.js ").safe_name == "chart_js"
    assert "Flask" in catalog and "flusk" not in catalog


@pytest.mark.parametrize(
    ("alias", "expected"), [("cpp", "C++"), ("c++", "C++"), ("js", "JavaScript"), ("py", "Python")]
)
def test_by_language_accepts_aliases(catalog, alias, expected):
    projects = catalog.by_language(alias)
    assert projects and {p.language for p in projects} == {expected}


def test_c_and_cpp_are_kept_apart(catalog):
    assert "json-c" in [p.name for p in catalog.by_language("C")]
    assert "json-c" not in [p.name for p in catalog.by_language("C++")]
    assert catalog.by_language("C++")[0].language_key == "cpp"


def test_unknown_name_suggests_close_names(catalog):
    assert catalog.suggest("scipi")[0] == "scipy"
    assert catalog.suggest("react")[0] == "react"
    with pytest.raises(UnknownProjectError, match=r"'pandsa' is not in the catalog\. Did you mean: pandas"):
        catalog.get("pandsa")
    with pytest.raises(UnknownProjectError) as info:
        catalog.get("zzzzzz")
    assert "Did you mean" not in str(info.value)
    assert catalog.find("zzzzzz") is None


def test_substring_suggestions_when_spelling_is_far(catalog):
    assert catalog.suggest("freertos") == ["FreeRTOS-Kernel"]
