"""Lambda: DeadLetterConfig kept and returned; configuration updates that moto drops applied.

moto 5.2.5 ignores a function's DeadLetterConfig on create and update and never returns it,
so ``aws_lambda_function`` with a ``dead_letter_config`` planned to add it after every apply.
UpdateFunctionConfiguration also dropped TracingConfig, KMSKeyArn and EphemeralStorage, so
changing one of them never converged either.
"""

from __future__ import annotations

import functools
from typing import Any


def dead_letter_target(config: Any) -> str | None:
    """The DLQ ARN of a DeadLetterConfig; an empty TargetArn removes the DLQ, as on AWS."""
    if not isinstance(config, dict):
        return None
    return str(config.get("TargetArn") or "") or None


def _init_with_dead_letter(original: Any) -> Any:
    @functools.wraps(original)
    def __init__(
        self: Any, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any
    ) -> None:
        original(self, account_id, spec, *args, **kwargs)
        self.dead_letter_target_arn = dead_letter_target(spec.get("DeadLetterConfig"))

    return __init__


def _configuration_with_dead_letter(original: Any) -> Any:
    @functools.wraps(original)
    def get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        config: dict[str, Any] = original(self, *args, **kwargs)
        target = getattr(self, "dead_letter_target_arn", None)
        if target:
            config["DeadLetterConfig"] = {"TargetArn": target}
        return config

    return get_configuration


def _update_all_settings(original: Any) -> Any:
    @functools.wraps(original)
    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "DeadLetterConfig" in config_updates:
            self.dead_letter_target_arn = dead_letter_target(config_updates["DeadLetterConfig"])
        if config_updates.get("TracingConfig"):
            self.tracing_config = config_updates["TracingConfig"]
        if "KMSKeyArn" in config_updates:
            self.kms_key_arn = config_updates["KMSKeyArn"] or None
        if (config_updates.get("EphemeralStorage") or {}).get("Size"):
            self.ephemeral_storage = config_updates["EphemeralStorage"]["Size"]
        result: dict[str, Any] = original(self, config_updates)
        return result

    return update_configuration


def install() -> None:
    from moto.awslambda.models import LambdaFunction

    LambdaFunction.__init__ = _init_with_dead_letter(LambdaFunction.__init__)
    LambdaFunction.get_configuration = _configuration_with_dead_letter(
        LambdaFunction.get_configuration
    )
    LambdaFunction.update_configuration = _update_all_settings(LambdaFunction.update_configuration)
