"""Process entry point of the lab AWS: moto's server, configured for Terraform, plus extensions."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence

from chainops.lab.settings import LabSettings


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="chainops-lab-serve")
    parser.add_argument("--host", default=LabSettings.host)
    parser.add_argument("--port", type=int, default=LabSettings.port)
    parser.add_argument("--account", default=LabSettings.account)
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="log every request (off: at the pipeline's rates the log costs the lab about 3%% "
        "of its time and grows by megabytes a minute; errors are logged either way)",
    )
    args = parser.parse_args(argv)
    if not args.access_log:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    LabSettings(account=args.account)  # refuses what is not an account id

    # One account: moto puts every request in it, whatever the credentials (read per request).
    os.environ["MOTO_ACCOUNT_ID"] = args.account

    # Terraform attaches AWS-managed policies by ARN, so moto must know them.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    from moto.core.config import default_user_config

    # No Docker engine here: Lambda and Batch record invocations without running them.
    default_user_config["lambda"] = {"use_docker": False}
    default_user_config["batch"] = {"use_docker": False}
    default_user_config["iam"] = {"load_aws_managed_policies": True}

    from chainops.lab.aws import extensions

    extensions.install()

    from moto.server import main as moto_main

    moto_main(["--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    main()
