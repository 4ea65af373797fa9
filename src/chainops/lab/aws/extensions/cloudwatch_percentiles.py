"""CloudWatch GetMetricStatistics ExtendedStatistics (percentiles), as AWS answers them.

moto 5.2.5 accepts `ExtendedStatistics` and ignores it: a datapoint never carries one, so a
client reading a latency metric's p99 (what the RPC fleet's latency alarm watches) reads
nothing in the lab. Here each datapoint gets its `ExtendedStatistics` (`{"p99": value}`),
computed by the rule the alarm evaluation uses (`alarm_evaluation.Bucket`): nearest rank over
the period's raw values, a `Values` + `Counts` datum counting as its values repeated. A period
holding statistic sets (or a negative value) has no percentile, as on AWS for sets without the
values: the key is left out; so are the other extended statistics (trimmed means, `tm99`).
"""

from __future__ import annotations

from typing import Any

from chainops.lab.aws.extensions.alarm_evaluation import PERCENTILE, Bucket


def _percentiles(statistics: Any, names: list[str]) -> dict[str, float]:
    values = [float(datum.value) for datum in statistics.metric_data if hasattr(datum, "value")]
    sets = [
        (datum.sum, datum.sample_count, datum.min, datum.max)
        for datum in statistics.metric_data
        if not hasattr(datum, "value")
    ]
    bucket = Bucket(values=values, sets=sets)
    found = {name: bucket.statistic(name) for name in names if PERCENTILE.match(name)}
    return {name: value for name, value in found.items() if value is not None}


def install() -> None:
    from moto.cloudwatch.models import Statistics
    from moto.cloudwatch.responses import CloudWatchResponse

    original = CloudWatchResponse.get_metric_statistics

    def get_metric_statistics(self: Any) -> Any:
        result = original(self)
        names = self._get_param("ExtendedStatistics") or []
        for datapoint in result.result["Datapoints"]:
            if isinstance(datapoint, Statistics) and names:
                datapoint.extended_statistics = _percentiles(datapoint, names)
        return result

    CloudWatchResponse.get_metric_statistics = get_metric_statistics
