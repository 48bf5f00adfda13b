"""Every scenario module, imported at once by a client process before its first step."""

from bench.scenarios import active, burst, cluster, waiting

SCENARIOS = {"waiting": waiting, "active": active, "burst": burst, "cluster": cluster}
