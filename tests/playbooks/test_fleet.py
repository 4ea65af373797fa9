"""The fleet phase (playbooks/fleet.yml, as site.yml runs it) on three lab RPC nodes in one
cluster placement group, found by the lab inventory: converged once, then only inspected, with
the idempotence and check-mode runs as the only repeats, and the faults last.

Each node's tuning is checked on the node (testinfra over podman); the fleet's placement,
clock and roll are checked once, from the lab AWS and the controller. The faults run last: a
full ledger disk (nothing changes), a node dying mid-roll (the node is replaced and converged
again, alone) and the rollback of a broken release.

Two nodes are in an Auto Scaling group, the third outside any: each node's RPC gateway
publishes to the lab's CloudWatch, so this module's lab AWS listens where the podman hosts
reach it (the podman gateway, on a free port), not on the workers' loopback lab.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import testinfra
from solana.rpc.async_api import AsyncClient

from chainops.lab.aws import clients, server
from chainops.lab.hosts import bridge, fleet, reconciler
from chainops.lab.hosts.imds import process
from chainops.lab.settings import MANAGEMENT_TAG, LabSettings
from chainops.paths import REPO_ROOT
from chainops.rpcgateway.config import GatewayConfig
from chainops.rpcgateway.meter import REQUEST_LATENCY, REQUESTS_PER_SECOND
from tests.helpers import (
    VENV_BIN,
    ansible_env,
    copy_lab_inventory,
    create_instance_profile,
    metric_statistics,
    run_playbook,
)

pytestmark = pytest.mark.minutes(13)

RECAP = re.compile(r"^(i-\w+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
FLEET_SIZE = 3
PLACEMENT_GROUP = "rpc-a"
HEALTH_WINDOW_S = 3  # the lab inventory's solana_rpc_node_health_window_seconds


GROUP = "lab-rpc"  # the Auto Scaling group of the first two nodes
RPC_PROFILE = "lab-rpc-node"  # the nodes' instance profile: PutMetricData in their namespace
# The group's target: requests per second per node, low enough for a test's load to exceed.
TARGET_REQUESTS_PER_SECOND = 1.0
NAMESPACE = GatewayConfig.model_fields["metrics_namespace"].default


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def lab_settings() -> Iterator[LabSettings]:
    """This module's lab AWS, on the podman gateway (the nodes' gateways publish to it) and a
    free port (test sessions side by side never share it)."""
    host = LabSettings().host
    bridge.ensure_address(host)
    settings = LabSettings(port=_free_port(host))
    server.up(settings)
    process.up()  # the lab IMDS: the nodes' gateways sign as their instance profile's role
    yield settings
    reconciler.remove_all(settings)
    server.down(settings)
    process.down()


@pytest.fixture(scope="module")
def nodes(lab_settings: LabSettings) -> Iterator[list[str]]:
    server.reset(lab_settings)
    launched = fleet.launch(lab_settings, count=FLEET_SIZE, placement_group=PLACEMENT_GROUP)
    _give_the_rpc_role(lab_settings, launched)
    _attach_to_a_group(lab_settings, launched[:2])
    yield launched
    server.reset(lab_settings)
    reconciler.reconcile(lab_settings)


def _give_the_rpc_role(settings: LabSettings, instances: list[str]) -> None:
    """An instance profile allowing what the blockchain stack's RPC role allows the gateway:
    PutMetricData in its own namespace only (the lab refuses the rest)."""
    iam: Any = clients.client(settings, "iam")
    name = create_instance_profile(iam, RPC_PROFILE)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
        "Condition": {"StringEquals": {"cloudwatch:namespace": NAMESPACE}},
    }]}  # fmt: skip
    iam.put_role_policy(RoleName=name, PolicyName="metrics", PolicyDocument=json.dumps(policy))
    ec2: Any = clients.client(settings, "ec2")
    for instance_id in instances:
        ec2.associate_iam_instance_profile(
            IamInstanceProfile={"Name": name}, InstanceId=instance_id
        )


def _attach_to_a_group(settings: LabSettings, instances: list[str]) -> None:
    """An Auto Scaling group of no instances of its own, given `instances`: AWS (and moto) tag
    them aws:autoscaling:groupName, which the inventory reads."""
    ec2: Any = clients.client(settings, "ec2")
    autoscaling: Any = clients.client(settings, "autoscaling")
    reservations = ec2.describe_instances(InstanceIds=instances)["Reservations"]
    (zone,) = {i["Placement"]["AvailabilityZone"] for r in reservations for i in r["Instances"]}
    image_id = ec2.describe_images()["Images"][0]["ImageId"]
    # What the group launches is a lab host with the nodes' instance profile (not in role_rpc:
    # the fleet phase of the tests after must not find an unconverged node).
    tags = [{"Key": MANAGEMENT_TAG, "Value": "true"}]
    ec2.create_launch_template(
        LaunchTemplateName=GROUP,
        LaunchTemplateData={
            "ImageId": image_id,
            "InstanceType": "m5.large",
            "IamInstanceProfile": {"Name": RPC_PROFILE},
            "TagSpecifications": [{"ResourceType": "instance", "Tags": tags}],
        },
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=GROUP,
        LaunchTemplate={"LaunchTemplateName": GROUP},
        MinSize=0,
        MaxSize=FLEET_SIZE,
        DesiredCapacity=0,
        AvailabilityZones=[zone],
    )
    autoscaling.attach_instances(AutoScalingGroupName=GROUP, InstanceIds=instances)


@pytest.fixture(scope="module")
def inventory(lab_settings: LabSettings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_lab_inventory(tmp_path_factory.mktemp("inventories"), lab_settings.endpoint)


@pytest.fixture(scope="module")
def converged(nodes: list[str], inventory: Path) -> dict[str, int]:
    """The first fleet run; returns changed counts per node. Three shares of a new fleet, each
    waiting on its node's catch-up: over 900 s on a slow 2-core VM under the whole suite."""
    result = run_playbook("playbooks/fleet.yml", inventory, timeout=1800)
    assert result.returncode == 0, result.stdout[-5000:]
    return _changed(result.stdout)


def _changed(stdout: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in RECAP.finditer(stdout)}


def _on(node: str, *command: str) -> str:
    return subprocess.run(
        ["podman", "exec", node, *command], capture_output=True, text=True, check=True
    ).stdout.strip()


def _address(node: str) -> str:
    return subprocess.run(
        ["podman", "inspect", node, "--format", "{{.NetworkSettings.IPAddress}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.asyncio(loop_scope="module")
async def test_nodes_serve_rpc_in_step(nodes: list[str], converged: dict[str, int]) -> None:
    """Every node answers a Solana client on its own address, on the one lab slot clock."""
    assert set(converged) == set(nodes)
    assert all(count > 0 for count in converged.values())
    slots = []
    for node in nodes:
        async with AsyncClient(f"http://{_address(node)}:8899") as client:
            assert await client.is_connected()  # getHealth answered ok
            slots.append((await client.get_slot()).value)
    assert max(slots) - min(slots) <= 10, slots  # the health check allows 50


@pytest.mark.parametrize("index", range(FLEET_SIZE))
def test_node_is_tuned_and_serves_rpc(
    index: int, nodes: list[str], converged: dict[str, int]
) -> None:
    """The role's work on each node: unit active with Agave's limits, data on NVMe mounts."""
    host = testinfra.get_host(f"podman://{nodes[index]}")
    assert host.service("solana-rpc").is_running
    limits = host.check_output("systemctl show solana-rpc -p LimitNOFILE -p LimitMEMLOCK")
    assert "LimitNOFILE=1000000" in limits
    assert "LimitMEMLOCK=2000000000" in limits
    assert host.sysctl("vm.max_map_count") == 1000000
    for path in ("/mnt/ledger", "/mnt/accounts"):
        mount = host.mount_point(path)
        assert mount.filesystem == "xfs"
        assert "noatime" in mount.options


@pytest.mark.parametrize("index", range(FLEET_SIZE))
def test_the_gateway_fronts_each_node(
    index: int, nodes: list[str], converged: dict[str, int]
) -> None:
    """8899/8900 are the gateway's, the node listens on loopback 8999/9000 only; the gateway's
    group is the instance's Auto Scaling group, or its instance id outside one."""
    host = testinfra.get_host(f"podman://{nodes[index]}")
    assert host.service("chainops-rpc-gateway").is_running
    assert host.service("chainops-rpc-gateway").is_enabled
    for public in ("tcp://0.0.0.0:8899", "tcp://0.0.0.0:8900", "tcp://127.0.0.1:8999",
                   "tcp://127.0.0.1:9000"):  # fmt: skip
        assert host.socket(public).is_listening, public
    assert not host.socket("tcp://0.0.0.0:8999").is_listening
    environment = host.file("/etc/chainops/rpc-gateway.env").content_string
    group = GROUP if index < 2 else nodes[index]
    assert f"CHAINOPS_GROUP_NAME={group}\n" in environment
    assert "CHAINOPS_UPSTREAM_RPC=http://127.0.0.1:8999\n" in environment


def test_fleet_is_in_one_cluster_placement_group(
    lab_settings: LabSettings, nodes: list[str], converged: dict[str, int]
) -> None:
    ec2: Any = clients.client(lab_settings, "ec2")
    reservations = ec2.describe_instances(InstanceIds=nodes)["Reservations"]
    instances = [instance for r in reservations for instance in r["Instances"]]
    assert len(instances) == FLEET_SIZE
    assert {i["Placement"]["GroupName"] for i in instances} == {PLACEMENT_GROUP}
    (group,) = ec2.describe_placement_groups(GroupNames=[PLACEMENT_GROUP])["PlacementGroups"]
    assert group["Strategy"] == "cluster"


def test_rolled_one_node_at_a_time(nodes: list[str], converged: dict[str, int]) -> None:
    """serial 34% of three nodes: each node started after the previous one had been caught up
    for the health window (the units' start times, on the one kernel's monotonic clock)."""
    starts = sorted(
        int(_on(node, "systemctl", "show", "solana-rpc", "-p", "ExecMainStartTimestampMonotonic",
                "--value"))
        for node in nodes
    )  # fmt: skip
    gaps_s = [(later - earlier) / 1e6 for earlier, later in itertools.pairwise(starts)]
    assert min(gaps_s) >= HEALTH_WINDOW_S, gaps_s


def test_second_run_changes_nothing(
    nodes: list[str], inventory: Path, converged: dict[str, int]
) -> None:
    result = run_playbook("playbooks/fleet.yml", inventory)
    assert result.returncode == 0, result.stdout[-5000:]
    assert _changed(result.stdout) == dict.fromkeys(nodes, 0)


def test_check_diff_on_the_converged_fleet_reports_nothing(
    nodes: list[str], inventory: Path, converged: dict[str, int]
) -> None:
    """--check --diff on a converged fleet: no node would change, so no diff is shown."""
    result = run_playbook("playbooks/fleet.yml", inventory, "--check", "--diff")
    assert result.returncode == 0, result.stdout[-5000:]
    assert _changed(result.stdout) == dict.fromkeys(nodes, 0)
    assert "--- before" not in result.stdout


def _request_counts(cloudwatch: Any, dimensions: list[str]) -> dict[str, float]:
    """RequestLatency's SampleCount (one a request) over the last hour, per dimension value."""
    return {
        value: sum(
            point["SampleCount"]
            for point in metric_statistics(
                cloudwatch, NAMESPACE, REQUEST_LATENCY, {"AutoScalingGroupName": value},
                Statistics=["SampleCount"],
            )
        )
        for value in dimensions
    }  # fmt: skip


@pytest.mark.asyncio(loop_scope="module")
async def test_requests_through_the_gateways_reach_cloudwatch(
    lab_settings: LabSettings, nodes: list[str], converged: dict[str, int]
) -> None:
    """Requests to 8899 are counted by the nodes' gateways and published to the lab's
    CloudWatch within an interval (60 s): RequestLatency and RequestsPerSecond with the group
    as AutoScalingGroupName, and the node outside the group under its instance id."""
    cloudwatch: Any = clients.client(lab_settings, "cloudwatch")
    sent = 20
    # The catch-up checks and the tests before went through the gateways too.
    before = _request_counts(cloudwatch, [GROUP, nodes[2]])
    for node in nodes:
        async with AsyncClient(f"http://{_address(node)}:8899") as client:
            for _ in range(sent):
                await client.get_slot()
    wanted = {GROUP: before[GROUP] + 2 * sent, nodes[2]: before[nodes[2]] + sent}
    deadline = time.monotonic() + 150  # one interval, the lab's pace, room to spare
    while True:
        counts = _request_counts(cloudwatch, list(wanted))
        if all(counts[value] >= count for value, count in wanted.items()):
            break
        assert time.monotonic() < deadline, f"published {counts}, wanted at least {wanted}"
        time.sleep(5)
    listed = cloudwatch.list_metrics(Namespace=NAMESPACE, MetricName=REQUESTS_PER_SECOND)
    assert {d["Value"] for m in listed["Metrics"] for d in m["Dimensions"]} == set(wanted)
    dimension = {"AutoScalingGroupName": GROUP}
    (rate,) = metric_statistics(
        cloudwatch, NAMESPACE, REQUESTS_PER_SECOND, dimension, Statistics=["Maximum"]
    )
    assert rate["Maximum"] > 0
    assert rate["Unit"] == "Count/Second"


def test_load_on_the_gateways_scales_the_group_out_and_the_lab_adds_its_host(
    lab_settings: LabSettings, nodes: list[str], converged: dict[str, int]
) -> None:
    """Target tracking end to end: requests to the group's nodes raise the RequestsPerSecond
    their gateways publish above the target, the policy's high alarm fires (3 of 3 minutes),
    the group scales out to its maximum and the lab materialises the node it launched."""
    autoscaling: Any = clients.client(lab_settings, "autoscaling")
    autoscaling.put_scaling_policy(
        AutoScalingGroupName=GROUP,
        PolicyName="requests",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "CustomizedMetricSpecification": {
                "Namespace": NAMESPACE,
                "MetricName": REQUESTS_PER_SECOND,
                "Dimensions": [{"Name": "AutoScalingGroupName", "Value": GROUP}],
                "Statistic": "Average",
            },
            "TargetValue": TARGET_REQUESTS_PER_SECOND,
            # No low alarm: the idle minutes before would scale the group in, not this load.
            "DisableScaleIn": True,
        },
    )
    payload = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getSlot"}).encode()
    urls = [f"http://{_address(node)}:8899" for node in nodes[:2]]

    def group() -> dict[str, Any]:
        return dict(autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[GROUP])[
            "AutoScalingGroups"][0])  # fmt: skip

    deadline = time.monotonic() + 330  # 3 one-minute periods above the target, and the publish
    while group()["DesiredCapacity"] < FLEET_SIZE:
        assert time.monotonic() < deadline, f"never scaled out: {group()}"
        for url in urls:  # about 4 requests a second per node
            request = urllib.request.Request(url, payload, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
        time.sleep(0.25)  # the lab evaluates the alarms every 10 s
    launched = {i["InstanceId"] for i in group()["Instances"]} - set(nodes)
    assert len(launched) == 1, group()
    reconciler.reconcile(lab_settings)
    (new,) = launched
    assert reconciler.hosts(lab_settings)[new].running
    autoscaling.terminate_instance_in_auto_scaling_group(
        InstanceId=new, ShouldDecrementDesiredCapacity=True
    )
    autoscaling.delete_policy(AutoScalingGroupName=GROUP, PolicyName="requests")
    reconciler.reconcile(lab_settings)


FILL = "/mnt/ledger/chainops-test-fill"  # a file filling a node's ledger filesystem


def _health(node: str) -> tuple[int, str]:
    """GET /health on the node's public RPC port, as its load balancer asks it."""
    try:
        with urllib.request.urlopen(f"http://{_address(node)}:8899/health", timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _fill_ledger(node: str, percent: int) -> None:
    """Allocate (not write: XFS reserves the blocks) a file that brings the node's ledger
    filesystem to `percent` used, as df counts it (rounded up: aim half a percent lower)."""
    df = _on(node, "df", "-B1", "--output=used,avail", "/mnt/ledger").splitlines()[-1]
    used, available = map(int, df.split())
    size = (used + available) * (2 * percent - 1) // 200 - used
    _on(node, "fallocate", "-l", str(size), FILL)


def test_a_full_ledger_disk_stops_the_roll_and_fails_the_health_check(
    nodes: list[str], inventory: Path, converged: dict[str, int]
) -> None:
    """A node whose ledger filesystem is 98 % used: its load balancer health check answers 503
    naming the disk (the others' stay ok); the fleet run stops at its preflight before anything
    changes, naming the node, the mount, the usage and the variable; with the preflight's limit
    raised, the roll's own health check stops it, naming the disk. Nothing changes anywhere."""
    first = sorted(nodes)[0]  # the first share of the roll
    _fill_ledger(first, 98)
    try:
        assert _on(first, "df", "--output=pcent", "/mnt/ledger").split()[-1] == "98%"
        assert _health(first) == (503, "disk full: /mnt/ledger 98% used (limit 95%)")
        assert all(_health(node) == (200, "ok") for node in nodes if node != first)

        result = run_playbook("playbooks/fleet.yml", inventory)
        assert result.returncode == 2, result.stdout[-5000:]
        assert (
            f"{first}: /mnt/ledger is 98% used, above"
            " solana_rpc_node_preflight_max_disk_used_percent (90%)"
        ) in result.stdout, result.stdout[-5000:]
        assert set(_changed(result.stdout).values()) == {0}

        raised = json.dumps({"solana_rpc_node_preflight_max_disk_used_percent": 99})
        result = run_playbook("playbooks/fleet.yml", inventory, "-e", raised)
        assert result.returncode == 2, result.stdout[-5000:]
        assert (
            f"{first}: the load balancer's health check (GET /health on port 8899) answers 503:"
            " disk full: /mnt/ledger 98% used (limit 95%)"
        ) in result.stdout, result.stdout[-5000:]
        assert set(_changed(result.stdout).values()) == {0}
    finally:
        _on(first, "rm", "-f", FILL)
    assert _health(first) == (200, "ok")


def _started(node: str) -> int:
    """When the node's validator last started (the one kernel's monotonic clock, us)."""
    return int(_on(node, "systemctl", "show", "solana-rpc", "-p", "ExecMainStartTimestampMonotonic",
                   "--value"))  # fmt: skip


def _slot_advances(node: str) -> bool:
    payload = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getSlot"}).encode()
    slots = []
    for _ in range(2):
        request = urllib.request.Request(
            f"http://{_address(node)}:8899", payload, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            slots.append(json.load(answer)["result"])
        time.sleep(1)
    return bool(slots[1] > slots[0])


def test_a_node_dying_mid_roll_stops_the_roll_and_the_rest_keep_serving(
    lab_settings: LabSettings,
    nodes: list[str],
    inventory: Path,
    converged: dict[str, int],
    tmp_path: Path,
) -> None:
    """A roll one node at a time (a unit change: LimitNOFILE) whose first node's host is killed
    while the roll waits on its health: the run stops there with the node UNREACHABLE, by name;
    the other nodes were never touched (same release, unit and process) and serve, their slots
    advancing. Then the lab brings the host back (replaced on its instance and instance stores:
    a restarted lab host would wait forever for its by-UUID mounts, having no udev) and a run
    limited to it converges it, for the tests after."""
    first, *others = sorted(nodes)
    before = {
        node: (_on(node, "readlink", "/opt/solana/current"), _started(node)) for node in nodes
    }
    extra = {
        "chainops_rpc_rolling_share": 1,
        "solana_rpc_node_limit_nofile": 1000001,  # a unit change: each node restarts in turn
        "solana_rpc_node_health_window_seconds": 30,  # the roll waits on its health that long
    }
    command = [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), "playbooks/fleet.yml",
               "-e", json.dumps(extra)]  # fmt: skip
    log = tmp_path / "roll.log"  # a file, not a pipe: a full pipe would stall the roll
    with (
        log.open("w") as sink,
        subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=ansible_env(), cwd=REPO_ROOT
        ) as play,
    ):
        deadline = time.monotonic() + 300
        while _started(first) == before[first][1]:  # the roll restarts it, then waits
            assert play.poll() is None, log.read_text()[-5000:]
            assert time.monotonic() < deadline, "the roll never restarted the first node"
            time.sleep(0.5)
        subprocess.run(["podman", "kill", first], capture_output=True, check=True)
        play.wait(timeout=300)
    output = log.read_text()
    try:
        assert play.returncode == 4, output[-5000:]  # ansible-playbook: a host unreachable
        assert f"fatal: [{first}]: UNREACHABLE!" in output, output[-5000:]
        assert f"lab host {first} is not running" in output, output[-5000:]
        recap = {m.group(1): m.groups()[1:] for m in RECAP.finditer(output)}
        assert recap[first][1:] == ("1", "0"), recap  # unreachable, failed: its unit changed
        assert all(recap.get(node, ("0", "0", "0")) == ("0", "0", "0") for node in others), recap
        for node in others:
            assert (_on(node, "readlink", "/opt/solana/current"), _started(node)) == before[node]
            assert "LimitNOFILE=1000000" in _on(node, "systemctl", "show", "solana-rpc",
                                                 "-p", "LimitNOFILE")  # fmt: skip
            assert _slot_advances(node), node
    finally:
        # What the reconciler does for a host gone: a new one on the instance and its disks.
        subprocess.run(["podman", "rm", "--force", "--time", "0", first], check=True,
                       capture_output=True)  # fmt: skip
        reconciler.reconcile(lab_settings)
        # Its facts gathered again (its address changed), its peers' read from the cache.
        restored = run_playbook("playbooks/fleet.yml", inventory, "--limit", f"{first},localhost",
                                env={"ANSIBLE_GATHERING": "implicit"})  # fmt: skip
        assert restored.returncode == 0, restored.stdout[-5000:]
    assert _slot_advances(first)
    assert _on(first, "readlink", "/opt/solana/current") == before[first][0]


def _broken_release(directory: Path) -> tuple[Path, str]:
    """A release whose validator exits at once: it never becomes healthy."""
    tarball = directory / "broken.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name, text in {
            "chainops-lab-validator-broken/bin/chainops-validator": "#!/bin/sh\nexit 1\n",
            "chainops-lab-validator-broken/bin/solana-keygen": "#!/bin/sh\nexit 1\n",
        }.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(text), 0o755
            archive.addfile(info, io.BytesIO(text.encode()))
    return tarball, "sha256:" + hashlib.sha256(tarball.read_bytes()).hexdigest()


def test_failed_upgrade_rolls_back_and_stops_the_roll(
    nodes: list[str], inventory: Path, converged: dict[str, int], tmp_path: Path
) -> None:
    """One node at a time: the first gets the broken release, fails its catch-up check, goes
    back to the release it ran and is serving again; the others are never touched."""
    good = {node: _on(node, "readlink", "/opt/solana/current") for node in nodes}
    tarball, checksum = _broken_release(tmp_path)
    extra = {
        "chainops_rpc_rolling_share": 1,
        "solana_rpc_node_version": "broken",
        "solana_rpc_node_artifact_path": str(tarball),
        "solana_rpc_node_artifact_checksum": checksum,
        "solana_rpc_node_health_timeout_seconds": 20,
    }
    result = run_playbook("playbooks/fleet.yml", inventory, "-e", json.dumps(extra))
    assert result.returncode != 0
    assert "did not come back healthy on /opt/solana/releases/broken" in result.stdout
    first, *others = sorted(nodes)
    assert _on(first, "readlink", "/opt/solana/current") == good[first]
    assert _on(first, "systemctl", "is-active", "solana-rpc") == "active"
    for node in others:
        assert _on(node, "readlink", "/opt/solana/current") == good[node]
        assert "broken" not in _on(node, "ls", "/opt/solana/releases")
