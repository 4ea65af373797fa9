"""The pipeline's ECS services (blockchain stack, pipeline.tf) as the inventories declare them:
every AWS environment runs the pipeline image of this release, and each service's CHAINOPS_*
variables are settings its process reads. The session's applied stacks exercise the
definitions (the lab declares them without tasks: tests/terraform/test_stacks.py)."""

from __future__ import annotations

import re

import pytest

import chainops
from chainops.consumer.config import ConsumerConfig
from chainops.listener.config import ListenerConfig
from chainops.paths import REPO_ROOT
from chainops.settings import env_of
from tests.terraform.harness import inventory_inputs

PIPELINE_TF = REPO_ROOT / "terraform" / "stacks" / "blockchain" / "pipeline.tf"


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_aws_environments_run_the_pipeline_image_of_this_release(environment: str) -> None:
    blockchain = inventory_inputs(environment)["stacks"]["blockchain"]
    assert blockchain["listener_hosts"]["count"] == 0
    services = blockchain["pipeline_services"]
    assert services["image_tag"] == chainops.__version__
    assert services.get("listener", {}).get("count", 1) == 1


def test_the_lab_declares_the_services_without_tasks() -> None:
    services = inventory_inputs("lab")["stacks"]["blockchain"]["pipeline_services"]
    assert (services["listener"]["count"], services["consumer"]["count"]) == (0, 0)


@pytest.mark.parametrize(
    ("service", "config"), [("listener", ListenerConfig), ("consumer", ConsumerConfig)]
)
def test_each_service_is_configured_by_variables_its_process_reads(
    service: str, config: type
) -> None:
    text = PIPELINE_TF.read_text()
    block = re.search(rf"^    {service} = merge\(.*?^    \}}\)", text, re.MULTILINE | re.DOTALL)
    assert block, f"{service} settings not found in {PIPELINE_TF}"
    names = set(re.findall(r"^\s*(CHAINOPS_\w+)\s*=", block.group(0), re.MULTILINE))
    assert names, block.group(0)
    assert names <= {env_of(field) for field in config.model_fields}
