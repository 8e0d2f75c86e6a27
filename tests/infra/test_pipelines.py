"""The pipelines: which pushes start which pipeline, what the stages and roles are, the
per-stage SAM settings, and the test stage's commands run here as CodeBuild would run them.
"""

import ast
import os
import re
import shlex
import subprocess
import time
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pathspec
import pytest
import yaml
from samcli.lib.config.samconfig import SamConfig

from pipelines.codebuild import (
    Build,
    Outcome,
    component_tests,
    run_build,
    run_builds,
    stage_builds,
)
from stacks.templates import REPO_ROOT, load_template
from tests.builders.iam import Scope
from tests.rehearsal.capabilities import required_capability

PIPELINE_TEMPLATE = REPO_ROOT / "pipelines" / "template.yaml"
TEST_BUILDSPEC = REPO_ROOT / "pipelines" / "buildspec-test.yml"
DEPLOY_BUILDSPEC = REPO_ROOT / "pipelines" / "buildspec-deploy.yml"
MAKEFILE = REPO_ROOT / "Makefile"
COMPONENTS = ("bootstrap", "auth", "products", "orders", "partners", "vault", "api", "web")
STACK_COMPONENTS = COMPONENTS[:-1]
# The folders that belong to one component only; a change there starts that pipeline alone.
OWN_FOLDERS = {
    "bootstrap": ["bootstrap/"],
    "auth": ["auth_lambda/"],
    "products": ["services/products/"],
    "orders": ["services/orders/"],
    "partners": ["services/partners/"],
    "vault": ["services/vault/"],
    "api": ["api_gateway/"],
    "web": ["web_client/"],
}
# CodePipeline's limits on a file path filter (API reference, GitFilePathFilterCriteria).
MAX_PATTERNS = 8
MAX_PATTERN_LENGTH = 255

TEMPLATE = load_template(PIPELINE_TEMPLATE)
PIPELINE = TEMPLATE["Resources"]["Pipeline"]["Properties"]
FILTERS: dict[str, list[str]] = {
    component: TEMPLATE["Mappings"]["Components"][component]["Paths"] for component in COMPONENTS
}


# ---------------------------------------------------------------- CodePipeline's glob patterns
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A trigger file path glob as CodePipeline matches it against a changed file's path.

    The rules are those of "Working with glob patterns in syntax" in the CodePipeline user
    guide (docs.aws.amazon.com/codepipeline/latest/userguide/syntax-glob.html), which are
    Java's PathMatcher globs: `*` is any characters within one name (never `/`), `**` any
    characters across folders, `?` one character of a name, `[...]` one character of a set
    (`[!...]` negates, `a-z` is a range, `*`, `?` and `\\` stand for themselves inside),
    `{a,b}` either subpattern (groups do not nest), `\\` escapes. A pattern matches the whole
    path: `directory/*` is the files directly in `directory`, `directory/**` everything below.
    """
    regex: list[str] = []
    in_group = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
            regex.append(re.escape(pattern[index]))
        elif char == "*" and pattern.startswith("**", index):
            regex.append(".*")
            index += 1
        elif char == "*":
            regex.append("[^/]*")
        elif char == "?":
            regex.append("[^/]")
        elif char == "[":
            end = pattern.index("]", index + 2)
            members = pattern[index + 1 : end]
            negated = members.startswith("!")
            members = re.sub(r"([\\\[\]^])", r"\\\1", members[1:] if negated else members)
            regex.append(f"[^/{members}]" if negated else f"(?!/)[{members}]")
            index = end
        elif char == "{":
            if in_group:
                raise ValueError(f"{pattern}: groups cannot nest")
            in_group = True
            regex.append("(?:")
        elif char == "}" and in_group:
            in_group = False
            regex.append(")")
        elif char == "," and in_group:
            regex.append("|")
        else:
            regex.append(re.escape(char))
        index += 1
    return re.compile("".join(regex))


def glob_matches(pattern: str, path: str) -> bool:
    return glob_regex(pattern).fullmatch(path) is not None


def started_pipelines(changed_paths: list[str]) -> set[str]:
    """The pipelines a push to the branch starts: those with a filter matching a changed path."""
    return {
        component
        for component, patterns in FILTERS.items()
        if any(glob_matches(pattern, path) for pattern in patterns for path in changed_paths)
    }


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.java", "Main.java", True),
        ("*.java", "src/Main.java", False),
        ("*.{java,class}", "Main.class", True),
        ("foo.?", "foo.c", True),
        ("foo.?", "foo.cc", False),
        ("directory/*", "directory/file", True),
        ("directory/*", "directory/sub/file", False),
        ("directory/**", "directory/sub/deeper/file", True),
        ("directory/**", "directory", False),
        ("**", "any/path/at/all", True),
        ("tests/*/auth/**", "tests/unit/auth/test_x.py", True),
        ("tests/*/auth/**", "tests/unit/deep/auth/test_x.py", False),
        ("file[0-9].txt", "file7.txt", True),
        ("file[!0-9].txt", "file7.txt", False),
        ("file[!0-9].txt", "file/.txt", False),
        ("\\*.txt", "*.txt", True),
        ("\\*.txt", "a.txt", False),
    ],
)
def test_the_glob_matcher_follows_the_documented_rules(
    pattern: str, path: str, matches: bool
) -> None:
    assert glob_matches(pattern, path) is matches


# ---------------------------------------------------------------- which pushes start what
@pytest.mark.parametrize(
    ("changed_paths", "expected"),
    [
        (["README.md"], set()),
        (["docs/ARCHITECTURE.md"], set()),
        (["pipelines/template.yaml"], set()),
        (["tests/infra/test_pipelines.py"], set()),
        (["services/common/shop_common/api.py"], set(COMPONENTS)),
        (["services/common/requirements.txt"], {"products", "orders", "partners", "vault"}),
        (["tests/unit/common/test_api.py"], {"products", "orders", "partners", "vault"}),
        (["api_gateway/openapi.yaml"], {"api"}),
        (["api_gateway/template.yaml"], {"api"}),
        (["bootstrap/template.yaml"], {"bootstrap"}),
        (["auth_lambda/src/authorizer/jwks.py"], {"auth"}),
        (["tests/service/auth/test_handler.py"], {"auth"}),
        (["services/products/src/products/logic.py"], {"products"}),
        (["tests/unit/products/test_logic.py"], {"products"}),
        (["services/orders/template.yaml"], {"orders"}),
        (["tests/service/orders/test_upsert.py"], {"orders"}),
        (["tests/e2e/test_flows.py"], {"api"}),
        (["local/apigateway/gateway.py"], {"api", "web"}),
        (["stacks/templates.py"], set(COMPONENTS)),
        (["services/partners/Dockerfile"], {"partners"}),
        (["stacks/container_image.py"], set(COMPONENTS)),
        (["local/apigateway/proxy.py"], set(COMPONENTS)),
        (["local/aws.py"], {"products", "orders", "partners", "vault", "api", "web"}),
        (["local/cloudfront/server.py"], {"products", "orders", "partners", "vault", "api", "web"}),
        (["services/vault/template.yaml"], {"vault"}),
        (["tests/service/vault/test_changes.py"], {"vault"}),
        (["migrations/orders_lines.py"], {"orders", "api"}),
        (["web_client/site/index.html"], {"web"}),
        (["tests/web/test_pages.py"], {"web"}),
        (["tests/service/web_client/test_publish.py"], {"web"}),
        (
            ["tests/builders/events.py"],
            {"auth", "products", "orders", "partners", "vault", "api", "web"},
        ),
        (["Makefile"], set(COMPONENTS)),
        (["requirements/dev.txt"], set(COMPONENTS)),
        (["samconfig.toml"], set(COMPONENTS)),
        (["deploy_everything.sh"], set(COMPONENTS)),
        (["pipelines/buildspec-test.yml"], set(COMPONENTS)),
        (["README.md", "services/orders/src/orders/logic.py"], {"orders"}),
    ],
)
def test_a_push_starts_only_the_pipelines_whose_files_changed(
    changed_paths: list[str], expected: set[str]
) -> None:
    assert started_pipelines(changed_paths) == expected


def source_files(folders: list[str]) -> list[str]:
    """The repository's files under `folders`, those .gitignore excludes left out. Read from
    the file tree, not from git: the pipelines test a CODE_ZIP source, which has no .git."""
    ignored = pathspec.GitIgnoreSpec.from_lines((REPO_ROOT / ".gitignore").read_text().splitlines())
    found = []
    for folder in folders:
        for path in (REPO_ROOT / folder).rglob("*"):
            relative = path.relative_to(REPO_ROOT).as_posix()
            if path.is_file() and not ignored.match_file(relative):
                found.append(relative)
    return sorted(found)


@pytest.mark.parametrize("component", COMPONENTS)
def test_each_file_of_a_component_starts_that_pipeline_alone(component: str) -> None:
    # Given every file the repository holds in the component's own folders
    own_files = source_files(OWN_FOLDERS[component])
    assert own_files

    # Then a push changing any one of them starts exactly that pipeline
    wrong = {path: started_pipelines([path]) for path in own_files}
    assert {path: started for path, started in wrong.items() if started != {component}} == {}


@pytest.mark.parametrize("component", [name for name in COMPONENTS if name != "bootstrap"])
def test_a_change_to_a_pipelines_own_tests_starts_it(component: str) -> None:
    # Given the test folders its test stage runs (the Makefile's COMPONENT_TESTS_<component>)
    folders = component_tests()[component]

    # Then a changed test in any of them starts the pipeline (bootstrap waits for a person
    # at each run, so only its own files and the build files start it)
    assert all(component in started_pipelines([f"{folder}/test_any.py"]) for folder in folders)


def test_every_test_folder_runs_in_some_pipelines_test_stage() -> None:
    # Given the folders that hold tests, and those the pipelines' test stages run
    tests = REPO_ROOT / "tests"
    holding_tests = {path.parent.relative_to(REPO_ROOT) for path in tests.rglob("test_*.py")}
    staged = {Path(folder) for folders in component_tests().values() for folder in folders}

    # Then each is in a stage (`make test` runs exactly the stages: a folder in none would
    # never run, in CI or in a pipeline)
    assert {
        str(folder) for folder in holding_tests if not staged & {folder, *folder.parents}
    } == set()


# Where the tests import from (pyproject.toml's pytest pythonpath, in its order).
IMPORT_ROOTS = [
    REPO_ROOT / folder
    for folder in tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["pytest"][
        "ini_options"
    ]["pythonpath"]
]


def module_file(name: str) -> Path | None:
    """The repository's file of module `name`, as the tests' import path finds it."""
    for root in IMPORT_ROOTS:
        base = root.joinpath(*name.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def imported_modules(path: Path) -> set[str]:
    """Every absolute import of `path`, with each name a `from` import takes (it may be a
    module) and the packages above them."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    parts = [name.split(".") for name in names]
    return {".".join(part[:end]) for part in parts for end in range(1, len(part) + 1)}


def files_imported_by(folders: list[str]) -> set[str]:
    """The repository's files a run of the tests in `folders` imports: the tests, the
    conftest.py files above them, and everything they import, transitively."""
    found: set[Path] = set()
    waiting = [path for folder in folders for path in (REPO_ROOT / folder).rglob("*.py")]
    waiting += [
        parent / "conftest.py"
        for folder in folders
        for parent in (REPO_ROOT / folder).parents
        if parent.is_relative_to(REPO_ROOT / "tests") and (parent / "conftest.py").is_file()
    ]
    while waiting:
        path = waiting.pop()
        if path not in found:
            found.add(path)
            modules = (module_file(name) for name in imported_modules(path))
            waiting += [module for module in modules if module is not None]
    return {path.relative_to(REPO_ROOT).as_posix() for path in found}


@pytest.mark.parametrize("component", COMPONENTS)
def test_a_change_to_any_file_a_pipelines_tests_import_starts_it(component: str) -> None:
    # Given every file of the repository its test stage imports, but those of another
    # component's own folders (that component's pipeline tests a change to them) and, for
    # bootstrap, its tests (a person approves each of its runs: test changes do not start it)
    others = [folder for name, own in OWN_FOLDERS.items() if name != component for folder in own]
    left_out = (*others, "tests/") if component == "bootstrap" else tuple(others)
    imported = files_imported_by(component_tests()[component])
    read = {path for path in imported if not path.startswith(left_out)}
    assert read

    # Then a push changing any one of them starts the pipeline
    assert {path for path in read if component not in started_pipelines([path])} == set()


def test_every_component_has_tests_and_a_trigger_within_codepipelines_limits() -> None:
    assert set(component_tests()) == set(COMPONENTS)
    for patterns in FILTERS.values():
        assert 1 <= len(patterns) <= MAX_PATTERNS
        assert all(len(pattern) <= MAX_PATTERN_LENGTH for pattern in patterns)


# ---------------------------------------------------------------- the pipeline
def test_the_pipeline_is_v2_queued_and_started_by_a_filtered_push_to_the_branch() -> None:
    assert PIPELINE["PipelineType"] == "V2"
    assert PIPELINE["ExecutionMode"] == "QUEUED"
    (trigger,) = PIPELINE["Triggers"]
    git = trigger["GitConfiguration"]
    (push,) = git["Push"]
    assert trigger["ProviderType"] == "CodeStarSourceConnection"
    assert push["Branches"]["Includes"] == [{"Ref": "BranchName"}]
    assert push["FilePaths"]["Includes"] == {
        "Fn::FindInMap": ["Components", {"Ref": "Component"}, "Paths"]
    }
    source = PIPELINE["Stages"][0]["Actions"][0]
    assert git["SourceActionName"] == source["Name"]
    assert source["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
    assert source["Configuration"]["ConnectionArn"] == {"Ref": "ConnectionArn"}


def stage_names(component: str, approve_every_deploy: str) -> list[str]:
    """The stages of the pipeline for `component`, its template's conditions applied."""
    scope = Scope(
        {"Component": component, "ApproveEveryDeploy": approve_every_deploy, "Stage": "dev"},
        TEMPLATE["Conditions"],
    )
    names = []
    for stage in PIPELINE["Stages"]:
        if "Fn::If" in stage:
            condition, when_true, when_false = stage["Fn::If"]
            stage = when_true if scope.holds(condition) else when_false
        if stage != {"Ref": "AWS::NoValue"}:
            names.append(stage["Name"])
    return names


@pytest.mark.parametrize("component", COMPONENTS)
def test_tests_run_before_the_deployment_and_only_bootstrap_waits_for_approval_in_dev(
    component: str,
) -> None:
    approval = ["Approve"] if component == "bootstrap" else []
    assert stage_names(component, "false") == ["Source", "Test", *approval, "Deploy"]


@pytest.mark.parametrize("component", COMPONENTS)
def test_with_approve_every_deploy_every_pipeline_waits_for_a_person(component: str) -> None:
    assert stage_names(component, "true") == ["Source", "Test", "Approve", "Deploy"]


def test_the_builds_use_the_buildspecs_of_the_repository_on_a_python_3_13_image() -> None:
    resources = TEMPLATE["Resources"]
    test_project = resources["TestProject"]["Properties"]
    deploy_project = resources["DeployProject"]["Properties"]
    assert test_project["Source"]["BuildSpec"] == str(TEST_BUILDSPEC.relative_to(REPO_ROOT))
    assert deploy_project["Source"]["BuildSpec"] == str(DEPLOY_BUILDSPEC.relative_to(REPO_ROOT))
    for buildspec in (TEST_BUILDSPEC, DEPLOY_BUILDSPEC):
        spec = yaml.safe_load(buildspec.read_text())
        assert spec["phases"]["install"]["runtime-versions"] == {"python": "3.13"}
        assert all(phase.get("on-failure") == "ABORT" for phase in spec["phases"].values())
        # No step in post_build: CodeBuild runs that phase even after a failed build phase.
        assert "post_build" not in spec["phases"]
    for project in (test_project, deploy_project):
        # Ubuntu standard:8.0 is the first Ubuntu image with Python 3.13 (runtimes.yml).
        assert project["Environment"]["Image"] == "aws/codebuild/standard:8.0"


def test_no_parameter_carries_a_secret() -> None:
    for name, parameter in TEMPLATE["Parameters"].items():
        assert not re.search(r"token|secret|password|oauth", name, re.IGNORECASE)
        assert "NoEcho" not in parameter


def role_statements(logical_id: str) -> list[dict[str, Any]]:
    """The statements of a role's inline policies, each `Fn::If` branch that applies kept."""
    statements = []
    for policy in TEMPLATE["Resources"][logical_id]["Properties"].get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            statements.append(statement["Fn::If"][1] if "Fn::If" in statement else statement)
    return statements


def test_the_pipeline_role_uses_its_connection_bucket_and_builds_only() -> None:
    statements = {item["Sid"]: item for item in role_statements("PipelineRole")}
    assert statements["UseTheGitHubConnection"]["Resource"] == {"Ref": "ConnectionArn"}
    assert statements["StartOwnBuilds"]["Resource"] == [
        {"Fn::GetAtt": ["TestProject", "Arn"]},
        {"Fn::GetAtt": ["DeployProject", "Arn"]},
    ]
    assert all("*" not in str(item["Resource"]).replace("/*", "") for item in statements.values())


def test_the_deploy_role_changes_only_its_own_stack_through_cloudformations_role() -> None:
    statements = {item["Sid"]: item for item in role_statements("DeployRole")}
    own_stack = statements["ChangeSetsOnOwnStack"]["Resource"][0]["Fn::Sub"]
    assert own_stack.endswith(":stack/shop-${Stage}-${Component}/*")
    passes = statements["HandTheWorkToCloudFormation"]
    assert passes["Resource"] == {"Fn::GetAtt": ["CloudFormationRole", "Arn"]}
    assert passes["Condition"] == {
        "StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}
    }
    # The only unscoped permissions are reading exports and signing in to the registry (the
    # partners' image push), which have no resource to name; a deny may cover everything.
    unscoped = [
        sid
        for sid, item in statements.items()
        if item["Resource"] == "*" and item["Effect"] == "Allow"
    ]
    assert unscoped == ["ReadExports", "SignInToTheRegistry"]
    assert statements["NoResourceImport"]["Effect"] == "Deny"


def test_the_artifact_bucket_is_private_encrypted_and_tls_only() -> None:
    bucket = TEMPLATE["Resources"]["ArtifactBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    (statement,) = TEMPLATE["Resources"]["ArtifactBucketPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


# ---------------------------------------------------------------- samconfig.toml
@pytest.mark.parametrize("stage", ["dev", "prod"])
@pytest.mark.parametrize("component", STACK_COMPONENTS)
def test_samconfig_builds_and_deploys_every_stack_in_every_stage(
    stage: str, component: str
) -> None:
    # Given SAM CLI's own reading of samconfig.toml
    config = SamConfig(str(REPO_ROOT))
    environment = f"{stage}-{component}"
    build = config.get_all(["build"], "parameters", env=environment)
    deploy = config.get_all(["deploy"], "parameters", env=environment)

    # Then the build's output is what gets deployed, as the stack the architecture names
    assert (REPO_ROOT / build["template_file"]).is_file()
    assert deploy["template_file"] == f"{build['build_dir']}/template.yaml"
    assert deploy["stack_name"] == f"shop-{stage}-{component}"
    assert deploy["s3_prefix"] == component
    assert f"Stage={stage}" in deploy["parameter_overrides"].split()
    assert "CAPABILITY_IAM" in deploy["capabilities"].split()
    assert deploy["fail_on_empty_changeset"] is False
    assert deploy["confirm_changeset"] is (stage == "prod")


# ---------------------------------------------------------------- the test stage, run here
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_a_test_build_runs_every_buildspec_command_with_codebuilds_variables() -> None:
    # Given the test buildspec and the test project's variables
    spec = yaml.safe_load(TEST_BUILDSPEC.read_text())
    project = TEMPLATE["Resources"]["TestProject"]["Properties"]["Environment"]
    names = {variable["Name"] for variable in project["EnvironmentVariables"]}

    # When the builds of every pipeline are planned for a commit exported to a folder
    source = REPO_ROOT / "export"
    builds = stage_builds(list(COMPONENTS), source, COMMIT)

    # Then each runs the buildspec's commands, phase by phase, ending with its own tests, in
    # the environment CodeBuild gives the test project of that pipeline
    assert [build.component for build in builds] == list(COMPONENTS)
    for build in builds:
        assert build.commands == [
            command
            for phase in ("install", "pre_build", "build", "post_build")
            for command in spec["phases"].get(phase, {}).get("commands", [])
        ]
        assert build.commands[-1] == 'make test-component COMPONENT="$COMPONENT"'
        environment = build.environment
        assert names <= environment.keys()
        assert (environment["COMPONENT"], environment["STAGE"]) == (build.component, "dev")
        assert environment["CODEBUILD_RESOLVED_SOURCE_VERSION"] == COMMIT
        assert environment["CODEBUILD_SRC_DIR"] == str(source)
        assert spec["env"]["variables"].items() <= environment.items()


def make_plan(*arguments: str) -> list[str]:
    """The commands `make -n <arguments>` would run."""
    return subprocess.run(
        ["make", "--no-print-directory", "-n", *arguments],
        cwd=REPO_ROOT,
        env={name: value for name, value in os.environ.items() if not name.startswith("MAKE")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()


def test_ci_runs_the_readmes_make_test_which_is_every_pipelines_test_stage_on_an_export() -> None:
    # Given what .ci/run runs, and what `make test` runs
    ci_commands = [
        line
        for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines()
        if line.startswith("make ")
    ]
    [runner] = [shlex.split(line) for line in make_plan("test") if "pipelines.codebuild" in line]

    # Then CI runs the README's `make test`, which is the test stage of every pipeline there
    # is (pipelines/template.yaml's components: adding one to the Makefile's COMPONENTS is
    # required, and then enough), on an export
    assert ci_commands == ["make test"]
    assert runner[1:3] == ["-m", "pipelines.codebuild"]
    assert runner[3:] == list(TEMPLATE["Mappings"]["Components"])


def test_the_rehearsal_runs_alone_with_make_rehearse_and_in_the_bootstrap_test_stage() -> None:
    # Given the tests the rehearsal's marker selects, and pytest's default options
    [rehearse] = [shlex.split(line) for line in make_plan("rehearse") if "pytest" in line]
    options = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["pytest"]

    # Then `make rehearse` selects them, no default option leaves them out, and the bootstrap
    # pipeline's test stage (so `make test`, CI) runs their folder
    assert rehearse[-3:] == ["-m", "rehearsal", "tests/rehearsal"]
    assert "-m" not in shlex.split(options["ini_options"]["addopts"])
    assert "tests/rehearsal" in component_tests()["bootstrap"]


def test_builds_on_one_source_lint_once_and_leave_out_the_test_folders_that_passed(
    tmp_path: Path,
) -> None:
    # Given two pipelines' builds that share the folder tests/unit/common, each with a command
    # that does not name its component (as `make lint`) and one that does (its tests)
    commands = ["echo shared >> runs", 'echo "$COMPONENT: $ALREADY_TESTED" >> runs']
    builds = [
        Build(component, commands, dict(os.environ, COMPONENT=component))
        for component in ("products", "orders")
    ]

    # When both run on one source
    outcomes = run_builds(builds, tmp_path)

    # Then the shared command ran once, and the second build was told what the first passed
    assert [outcome.failed for outcome in outcomes] == [None, None]
    assert (tmp_path / "runs").read_text().splitlines() == [
        "shared",
        "products: ",
        f"orders: {' '.join(component_tests()['products'])}",
    ]
    assert outcomes[1].shared == [commands[0]]


def test_a_shared_command_that_failed_fails_every_build_without_running_again(
    tmp_path: Path,
) -> None:
    commands = ["echo lint >> runs; false", "echo tests >> runs"]
    builds = [Build(component, commands, dict(os.environ)) for component in ("auth", "web")]

    outcomes = run_builds(builds, tmp_path)

    assert [outcome.failed for outcome in outcomes] == [commands[0], commands[0]]
    assert (tmp_path / "runs").read_text().splitlines() == ["lint"]


def test_a_test_stage_leaves_out_the_folders_already_tested_on_its_source() -> None:
    # Given the orders stage, on a source where the products stage passed the common tests
    tested = " ".join(component_tests()["products"])

    # When make plans its tests
    [tests] = [
        line
        for line in make_plan("test-component", "COMPONENT=orders", f"ALREADY_TESTED={tested}")
        if "pytest" in line
    ]

    # Then it runs only the folders the products stage did not
    assert shlex.split(tests)[3:-1] == ["tests/unit/orders", "tests/service/orders"]


def test_the_test_stage_commands_pass_for_one_component_and_leave_a_junit_report() -> None:
    # Given the auth pipeline's test build, run from this source folder after an earlier build
    # passed its shared commands (setup, lint) and auth's service tests: `make test` runs all of
    # them on the export, so this runs the stage machinery on one test folder only
    spec = yaml.safe_load(TEST_BUILDSPEC.read_text())
    [build] = stage_builds(["auth"], REPO_ROOT, COMMIT)
    shared = [command for command in build.commands if "COMPONENT" not in command]
    earlier = dict.fromkeys(shared, Outcome("products"))
    service = component_tests()["auth"][-1]
    environment = {**build.environment, "ALREADY_TESTED": service}
    started = time.time()

    # When each command runs as CodeBuild runs it (bash, from the source folder, stop at a
    # failure)
    outcome = run_build(Build("auth", build.commands, environment), REPO_ROOT, earlier)

    # Then the shared commands took the earlier outcome, every other command passed, and the
    # report the buildspec hands to CodeBuild exists, fresh, with the passing unit tests
    assert outcome.failed is None
    assert outcome.shared == shared
    assert list(outcome.seconds) == [command for command in build.commands if command not in shared]
    report_spec = spec["reports"]["pytest"]
    assert report_spec["file-format"] == "JUNITXML"
    reports = [
        path
        for pattern in report_spec["files"]
        for path in (REPO_ROOT / report_spec["base-directory"]).glob(pattern)
        if path.stat().st_mtime >= started
    ]
    assert [path.name for path in reports] == ["auth.xml"]
    suite = ET.parse(reports[0]).getroot().find("testsuite")  # noqa: S314 - pytest wrote it
    assert suite is not None
    assert int(suite.get("tests", "0")) > 0
    assert suite.get("failures") == "0"
    assert suite.get("errors") == "0"


def test_the_deploy_stage_runs_the_deploy_script_for_its_component() -> None:
    spec = yaml.safe_load(DEPLOY_BUILDSPEC.read_text())
    deploy = " ".join(spec["phases"]["build"]["commands"])
    assert "./deploy_everything.sh" in deploy
    assert '--only "$COMPONENT"' in deploy
    assert '--cloudformation-role-arn "$CLOUDFORMATION_ROLE_ARN"' in deploy


@pytest.mark.parametrize(
    "environment",
    [
        *(
            f"{stage}-{stack}"
            for stage in ("dev", "prod")
            for stack in ("artifacts", "connection", "pipeline", "partners-images")
        ),
        "apigateway-account",  # the account and region's, no stage's
    ],
)
def test_samconfig_gives_each_plain_template_the_capability_its_iam_resources_need(
    environment: str,
) -> None:
    # Given a stack deployed from its template as written (no build), and its IAM resources
    deploy = SamConfig(str(REPO_ROOT)).get_all(["deploy"], "parameters", env=environment)
    needed = required_capability(load_template(REPO_ROOT / deploy["template_file"]))

    # Then its deployment passes the capability CloudFormation asks for them (a named role
    # or policy needs CAPABILITY_NAMED_IAM), or none when it has none
    capabilities = deploy.get("capabilities", "").split()
    assert needed is None or needed in capabilities


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_partner_images_template_is_uploaded_where_the_partners_pipeline_may_write(
    stage: str,
) -> None:
    # Given the partner images stack's deployment (deploy_everything.sh passes --s3-bucket)
    deploy = SamConfig(str(REPO_ROOT)).get_all(
        ["deploy"], "parameters", env=f"{stage}-partners-images"
    )

    # Then its template goes under partners/, the only prefix its pipeline's role may write
    assert deploy["s3_prefix"] == "partners"


def test_every_pipelines_file_no_pipeline_deploys_is_named_in_the_readmes_re_run_step() -> None:
    # Given the files of pipelines/ whose change starts no pipeline
    unstarted = [
        path.relative_to(REPO_ROOT).as_posix()
        for path in sorted((REPO_ROOT / "pipelines").iterdir())
        if path.is_file() and not started_pipelines([path.relative_to(REPO_ROOT).as_posix()])
    ]
    # And the README's step that says what to re-run after such a change
    readme = (REPO_ROOT / "README.md").read_text()
    step = readme[readme.index("6. **Re-running**") : readme.index("7. **Tear down**")]

    # Then that step names each of them and the exact command to re-run
    assert unstarted
    assert all(f"`{path}`" in step for path in unstarted)
    assert "./deploy_everything.sh --stage <stage> --region <region> --admin-email" in step
