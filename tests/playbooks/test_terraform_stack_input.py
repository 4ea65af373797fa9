"""terraform_stack refuses a misspelt variable before it plans anything."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import UNREACHABLE, failed_messages, run_role_unreachable

ROLE = "terraform_stack"
VALID = {"terraform_stack_name": "foundation"}


def test_valid_input_reaches_the_host(tmp_path: Path) -> None:
    """Given the outputs of an earlier stack (facts, not options), the role goes on."""
    outputs = {"terraform_stack_outputs": {"state_bootstrap": {}}}
    result = run_role_unreachable(ROLE, tmp_path, VALID, outputs)
    assert UNREACHABLE in result.stdout, result.stdout


def test_misspelt_variable_is_named_with_the_option_meant(tmp_path: Path) -> None:
    """A misspelt protected-types list would silently drop the guard; it is refused."""
    misspelt = {"terraform_stack_protected_typs": ["aws_s3_bucket"]}
    result = run_role_unreachable(ROLE, tmp_path, VALID, misspelt)
    assert UNREACHABLE not in result.stdout
    assert failed_messages(result) == [
        "terraform_stack_protected_typs is not an option of the terraform_stack role"
        " (did you mean terraform_stack_protected_types?): a misspelt variable would be ignored."
    ]
