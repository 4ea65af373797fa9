"""The gateway service: both listeners, the shared upstream session, the metrics publication,
and a graceful stop.

client ──HTTP POST / , GET /health──> rpc_port ──> Proxy ──aiohttp session──> node RPC
client ──websocket──────────────────> ws_port  ──> Proxy <──pumps both ways──> node PubSub
                                                     │ count, latency (Meter)
                       every metrics_interval_s ───> Metrics.flush ──thread──> PutMetricData
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import boto3
from aiohttp import web
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from chainops.daemon import log_json
from chainops.pipeline.metrics import Metrics
from chainops.rpcgateway import disks
from chainops.rpcgateway.config import GatewayConfig
from chainops.rpcgateway.meter import Meter
from chainops.rpcgateway.proxy import Proxy

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 10.0  # to the node, HTTP and websocket alike


class Gateway:
    """One run of the gateway, from binding its ports to a stop."""

    def __init__(self, config: GatewayConfig, *, cloudwatch: Any) -> None:
        self.config = config
        self.metrics = Metrics(
            cloudwatch,
            namespace=config.metrics_namespace,
            dimensions={"AutoScalingGroupName": config.group_name},
            clock=time.monotonic,
            interval_seconds=config.metrics_interval_s,
        )
        self.meter = Meter(self.metrics)
        # PutMetricData blocks: it runs here, never on the event loop.
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="metrics")

    async def serve(self, stop: asyncio.Event) -> int:
        """Serve until `stop` is set, then stop gracefully; 1 if a port cannot be bound."""
        config = self.config
        session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT_S),
            connector=aiohttp.TCPConnector(limit=config.upstream_connections),
            auto_decompress=False,  # the node's bytes go to the client as they are
            cookie_jar=aiohttp.DummyCookieJar(),  # a node sets none; not looking saves time
            skip_auto_headers=("User-Agent",),
        )
        proxy = Proxy(
            session=session,
            rpc_url=config.upstream_rpc,
            pubsub_url=config.pubsub_url,
            timeout_s=config.upstream_timeout_s,
            meter=self.meter,
            disk_watch=disks.Watch(config.health_disk_paths, config.health_max_disk_used_percent),
        )
        runners = [
            web.AppRunner(
                app,
                access_log=None,
                handle_signals=False,
                shutdown_timeout=config.shutdown_timeout_s,
            )
            for app in (proxy.rpc_app(), proxy.pubsub_app())
        ]
        publishing = asyncio.create_task(self._publish(), name="metrics")
        try:
            urls = [
                await self._start(runner, port, scheme)
                for runner, port, scheme in zip(
                    runners, (config.rpc_port, config.ws_port), ("http", "ws"), strict=True
                )
            ]
        except OSError as error:  # the port is taken, the address is not this host's
            log.error("gateway failed", extra={"error": str(error)})
            await self._stop(runners, session, publishing)
            return 1
        log.info(
            "gateway listening",
            extra={"rpc": urls[0], "ws": urls[1], "upstream": config.upstream_rpc},
        )
        await stop.wait()
        log.info("gateway stopping")
        await self._stop(runners, session, publishing)
        log.info("gateway stopped", extra={"counters": self.meter.counters.as_dict()})
        return 0

    async def _start(self, runner: web.AppRunner, port: int, scheme: str) -> str:
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, port, reuse_address=True)
        await site.start()
        host, bound = runner.addresses[0][:2]
        return f"{scheme}://{host}:{bound}"

    async def _stop(
        self, runners: list[web.AppRunner], session: aiohttp.ClientSession, publishing: Any
    ) -> None:
        """Stop accepting, let requests in flight finish (at most shutdown_timeout_s, then they
        are cancelled), close the websockets, then publish what was measured."""
        await asyncio.gather(*(r.cleanup() for r in runners if r.server is not None))
        await session.close()
        publishing.cancel()
        await asyncio.gather(publishing, return_exceptions=True)
        flush = functools.partial(self.metrics.flush, force=True)
        await asyncio.get_running_loop().run_in_executor(self.executor, flush)
        self.executor.shutdown(wait=False)

    async def _publish(self) -> None:
        """Every metrics_interval_s, on a fixed beat: publish what was measured (in the thread)."""
        loop = asyncio.get_running_loop()
        interval = self.config.metrics_interval_s
        beat = time.monotonic()
        while True:
            beat += interval
            await asyncio.sleep(max(beat - time.monotonic(), 0))
            await loop.run_in_executor(
                self.executor, functools.partial(self.metrics.flush, force=True)
            )


def cloudwatch_client(config: GatewayConfig) -> Any:
    """CloudWatch for the metrics: a hung call holds only the metrics thread; a failed one is
    retried at the next interval."""
    settings = Config(
        retries={"mode": "standard", "total_max_attempts": 2},
        connect_timeout=5,
        read_timeout=10,
    )
    session = boto3.session.Session(region_name=config.region)
    return session.client("cloudwatch", endpoint_url=config.endpoint_url, config=settings)


def run(config: GatewayConfig) -> int:
    """The foreground service: JSON logs on stderr; SIGTERM/SIGINT stop it gracefully, exit 0."""
    log_json()
    try:
        cloudwatch = cloudwatch_client(config)
    except BotoCoreError as error:  # no region, a malformed endpoint
        log.error("gateway failed", extra={"error": str(error)})
        return 1

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        return await Gateway(config, cloudwatch=cloudwatch).serve(stop)

    return asyncio.run(main())
