"""Facts from C/C++, Rust, Go and JVM build files."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from .model import BuildFile, TestCommand
from .reading import read_text

MAKE_TARGET = re.compile(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", re.MULTILINE)
CTEST = "ctest --test-dir build --output-on-failure"
TEST_TARGET = re.compile(r"^(test|tests|check|unittest|unit-test|test-all|check-all|runtests)$")


class NativeFacts:
    """Build files, tool versions and test commands from non-Python, non-JS ecosystems."""

    def __init__(self) -> None:
        self.build_files: list[BuildFile] = []
        self.tests: list[TestCommand] = []
        self.go_version: str | None = None
        self.java_version: str | None = None


def mine_native(root: Path) -> NativeFacts:
    """Read every C/C++/Rust/Go/JVM build file present at the project root."""
    facts = NativeFacts()
    _cmake(root, facts)
    _make_and_autotools(root, facts)
    _meson(root, facts)
    _cargo(root, facts)
    _go_mod(root, facts)
    _maven(root, facts)
    _gradle(root, facts)
    return facts


def _cmake(root: Path, facts: NativeFacts) -> None:
    path = root / "CMakeLists.txt"
    if not path.is_file():
        return
    text = read_text(path)
    out: list[str] = []
    minimum = re.search(r"cmake_minimum_required\s*\(\s*VERSION\s+([\d.]+)", text, re.IGNORECASE)
    if minimum:
        out.append(f"cmake minimum: {minimum.group(1)}")
    standard = re.search(r"CMAKE_CXX_STANDARD\s+(\d+)", text)
    if standard:
        out.append(f"C++ standard: {standard.group(1)}")
    options = re.findall(r"option\s*\(\s*(\w+)", text, re.IGNORECASE)
    test_options = [o for o in options if "TEST" in o.upper()]
    if test_options:
        out.append(f"test options: {', '.join(test_options)}")
    packages = sorted(set(re.findall(r"find_package\s*\(\s*(\w+)", text, re.IGNORECASE)))
    if packages:
        out.append(f"find_package: {', '.join(packages[:15])}")
    testing = re.search(r"enable_testing\s*\(|include\s*\(\s*CTest\s*\)|add_test\s*\(", text, re.IGNORECASE)
    has_tests_dir = any((root / d / "CMakeLists.txt").is_file() for d in ("test", "tests"))
    if testing or has_tests_dir:
        out.append("CTest tests declared" if testing else "test folder with its own CMakeLists.txt")
        flags = " ".join(f"-D{o}=ON" for o in test_options[:2])
        configure = f"cmake -S . -B build {flags}".strip()
        facts.tests.append(
            TestCommand(
                command=f"{configure} && cmake --build build -j && {CTEST}",
                source="CMakeLists.txt",
                score=62,
            )
        )
    facts.build_files.append(BuildFile(path="CMakeLists.txt", kind="cmake", facts=out))


def _make_and_autotools(root: Path, facts: NativeFacts) -> None:
    has_configure = (root / "configure").is_file()
    autotools_sources = [
        n for n in ("configure.ac", "configure.in", "autogen.sh", "Makefile.am") if (root / n).is_file()
    ]
    if has_configure or autotools_sources:
        found = (["configure"] if has_configure else []) + autotools_sources
        hint = (
            "./configure && make" if has_configure else "autoreconf -fi (or ./autogen.sh), ./configure, make"
        )
        facts.build_files.append(
            BuildFile(
                path=found[0],
                kind="autotools",
                facts=[f"files: {', '.join(found)}", f"build: {hint}"],
            )
        )
        if "Makefile.am" in autotools_sources:
            facts.tests.append(TestCommand(command="make check", source="automake (Makefile.am)", score=60))
    for name in ("GNUmakefile", "Makefile", "makefile"):
        path = root / name
        if not path.is_file():
            continue
        targets = list(dict.fromkeys(MAKE_TARGET.findall(read_text(path))))
        test_targets = [t for t in targets if TEST_TARGET.match(t)]
        shown = [t for t in targets if not t.startswith(".")][:15]
        out = [f"targets: {', '.join(shown)}"] if shown else []
        if test_targets:
            out.append(f"test targets: {', '.join(test_targets)}")
        for target in test_targets[:2]:
            facts.tests.append(TestCommand(command=f"make {target}", source=name, score=66))
        facts.build_files.append(BuildFile(path=name, kind="make", facts=out))
        break


def _meson(root: Path, facts: NativeFacts) -> None:
    path = root / "meson.build"
    if not path.is_file():
        return
    text = read_text(path)
    out: list[str] = []
    deps = sorted(set(re.findall(r"dependency\s*\(\s*'([^']+)'", text)))
    if deps:
        out.append(f"dependencies: {', '.join(deps[:15])}")
    if (root / "meson_options.txt").is_file() or (root / "meson.options").is_file():
        out.append("has meson options file")
    out.append("build: meson setup build && meson compile -C build")
    facts.tests.append(
        TestCommand(
            command="meson setup build && meson test -C build --print-errorlogs",
            source="meson.build",
            score=60,
        )
    )
    facts.build_files.append(BuildFile(path="meson.build", kind="meson", facts=out))


def _cargo(root: Path, facts: NativeFacts) -> None:
    path = root / "Cargo.toml"
    if not path.is_file():
        return
    out: list[str] = []
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        data = {}
        out.append(f"unparseable: {exc}")
    package = data.get("package", {})
    for key in ("name", "edition", "rust-version"):
        if package.get(key):
            out.append(f"{key}: {package[key]}")
    members = data.get("workspace", {}).get("members")
    if members:
        out.append(f"workspace members: {', '.join(members[:15])}")
    if data.get("features"):
        out.append(f"features: {', '.join(list(data['features'])[:15])}")
    for toolchain in ("rust-toolchain.toml", "rust-toolchain"):
        if (root / toolchain).is_file():
            channel = re.search(r"channel\s*=\s*\"([^\"]+)\"", read_text(root / toolchain))
            pinned = channel.group(1) if channel else read_text(root / toolchain).strip()[:40]
            out.append(f"{toolchain}: {pinned}")
    out.append("Cargo.lock present" if (root / "Cargo.lock").is_file() else "no Cargo.lock")
    flag = " --workspace" if members or "workspace" in data else ""
    facts.tests.append(TestCommand(command=f"cargo test{flag}", source="Cargo.toml", score=70))
    facts.build_files.append(BuildFile(path="Cargo.toml", kind="cargo", facts=out))


def _go_mod(root: Path, facts: NativeFacts) -> None:
    path = root / "go.mod"
    if not path.is_file():
        return
    text = read_text(path)
    out: list[str] = []
    module = re.search(r"^module\s+(\S+)", text, re.MULTILINE)
    if module:
        out.append(f"module: {module.group(1)}")
    version = re.search(r"^go\s+(\d+\.\d+(?:\.\d+)?)", text, re.MULTILINE)
    if version:
        facts.go_version = version.group(1)
        out.append(f"go: {version.group(1)}")
    toolchain = re.search(r"^toolchain\s+(\S+)", text, re.MULTILINE)
    if toolchain:
        out.append(f"toolchain: {toolchain.group(1)}")
    if (root / "vendor").is_dir():
        out.append("vendor/ present (-mod=vendor works offline)")
    facts.tests.append(TestCommand(command="go test ./...", source="go.mod", score=70))
    facts.build_files.append(BuildFile(path="go.mod", kind="go", facts=out))


def _maven(root: Path, facts: NativeFacts) -> None:
    path = root / "pom.xml"
    if not path.is_file():
        return
    out: list[str] = []
    try:
        tree = ET.fromstring(read_text(path))
    except ET.ParseError as exc:
        facts.build_files.append(BuildFile(path="pom.xml", kind="maven", facts=[f"unparseable: {exc}"]))
        return
    for element in tree.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]  # drop the POM namespace
    artifact = tree.findtext("artifactId")
    if artifact:
        out.append(f"artifactId: {artifact}")
    modules = [m.text for m in tree.findall("modules/module") if m.text]
    if modules:
        out.append(f"modules: {', '.join(modules[:15])}")
    props = tree.find("properties")
    if props is not None:
        for key in (
            "maven.compiler.release",
            "maven.compiler.source",
            "java.version",
            "maven.compiler.target",
        ):
            value = props.findtext(key)
            if value:
                out.append(f"{key}: {value}")
                facts.java_version = facts.java_version or value
    plugins = sorted({p.findtext("artifactId") or "" for p in tree.iter("plugin")} - {""})
    if plugins:
        out.append(f"plugins: {', '.join(plugins[:15])}")
    wrapper = (root / "mvnw").is_file()
    out.append("Maven wrapper ./mvnw present" if wrapper else "no Maven wrapper")
    mvn = "./mvnw" if wrapper else "mvn"
    facts.tests.append(TestCommand(command=f"{mvn} -B -ntp test", source="pom.xml", score=70))
    facts.build_files.append(BuildFile(path="pom.xml", kind="maven", facts=out))


def _gradle(root: Path, facts: NativeFacts) -> None:
    for name in ("build.gradle.kts", "build.gradle"):
        path = root / name
        if not path.is_file():
            continue
        text = read_text(path)
        out: list[str] = []
        for pattern in (
            r"JavaLanguageVersion\.of\(\s*(\d+)\s*\)",
            r"jvmToolchain\(\s*(\d+)\s*\)",
            r"sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_)?['\"]?([\d._]+)",
        ):
            match = re.search(pattern, text)
            if match:
                version = match.group(1).replace("_", ".")
                out.append(f"java: {version}")
                facts.java_version = facts.java_version or version
                break
        for settings in ("settings.gradle.kts", "settings.gradle"):
            if (root / settings).is_file():
                includes = re.findall(r"include\s*\(?\s*['\"]([^'\"]+)['\"]", read_text(root / settings))
                if includes:
                    out.append(f"subprojects: {', '.join(includes[:15])}")
        wrapper = (root / "gradlew").is_file()
        out.append("Gradle wrapper ./gradlew present" if wrapper else "no Gradle wrapper")
        gradle = "./gradlew" if wrapper else "gradle"
        facts.tests.append(
            TestCommand(command=f"{gradle} test --no-daemon --console=plain", source=name, score=70)
        )
        facts.build_files.append(BuildFile(path=name, kind="gradle", facts=out))
        return
