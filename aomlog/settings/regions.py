"""Where a region's ModelArts and IAM endpoints are, as the official SDK has them (docs/api-v2.md).

Every region the SDK knows serves ModelArts at ``modelarts.REGION.myhuaweicloud.com``
but ap-southeast-1, served from ``.myhuaweicloud.cn``. The SDK's variable
``HUAWEICLOUD_SDK_REGION_MODELARTS_<REGION>`` (upper case, ``-`` as ``_``) moves
one region's endpoint; ``HUAWEICLOUD_SDK_IAM_ENDPOINT`` moves IAM.
"""

from __future__ import annotations

from typing import List, Mapping, Optional, Tuple

KNOWN = (
    "cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11", "cn-north-12", "cn-east-3",
    "cn-east-4", "cn-south-1", "cn-southwest-2", "cn-southwest-3", "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-4", "af-south-1", "af-north-1", "la-south-2", "la-north-2", "sa-brazil-1",
    "tr-west-1", "me-east-1",
)
MODELARTS = {region: f"https://modelarts.{region}.myhuaweicloud.com" for region in KNOWN}
MODELARTS["ap-southeast-1"] = "https://modelarts.ap-southeast-1.myhuaweicloud.cn"
IAM_VAR = "HUAWEICLOUD_SDK_IAM_ENDPOINT"
GLOBAL_IAM = "https://iam.myhuaweicloud.com"


def override_var(region: str) -> str:
    return "HUAWEICLOUD_SDK_REGION_MODELARTS_" + region.upper().replace("-", "_")


def is_unknown(region: str, env: Mapping[str, str]) -> bool:
    """Neither in the SDK's table nor moved by its variable: the endpoint is a guess."""
    return region not in MODELARTS and not env.get(override_var(region))


def closest(region: str, count: int = 3) -> List[str]:
    """The known regions spelt most like ``region``, closest first."""
    import difflib  # only for a region nobody knows

    return difflib.get_close_matches(region, KNOWN, n=count, cutoff=0.0)


def modelarts_endpoint(region: str, env: Mapping[str, str]) -> Tuple[str, str]:
    """The region's endpoint and where it comes from."""
    var = override_var(region)
    if env.get(var):
        return env[var], f"${var}"
    if region in MODELARTS:
        return MODELARTS[region], f"the region table ({region})"
    # Not in the SDK's table: the pattern every listed region but one follows.
    return f"https://modelarts.{region}.myhuaweicloud.com", f"made from the region {region} (not in the SDK's table)"


def iam_endpoint(region: Optional[str], env: Mapping[str, str]) -> Tuple[str, str]:
    if env.get(IAM_VAR):
        return env[IAM_VAR].rstrip("/"), f"${IAM_VAR}"
    if region in MODELARTS:
        return f"https://iam.{region}.myhuaweicloud.com", f"the region table ({region})"
    return GLOBAL_IAM, "the global IAM endpoint"
