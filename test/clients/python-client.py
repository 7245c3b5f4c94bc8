"""Drives the official Python client (Debian's python3-kubernetes) against a tskube API server.

Usage: python3 python-client.py KUBECONFIG STEP [ARGS]; prints one JSON line with what it saw.
"""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def main():
    config.load_kube_config(config_file=sys.argv[1])
    core = client.CoreV1Api()
    step = sys.argv[2]
    if step == "crud":
        made = core.create_namespaced_config_map("default", {"metadata": {"name": "from-py", "labels": {"via": "py"}}, "data": {"a": "1"}})
        patched = core.patch_namespaced_config_map("from-py", "default", {"data": {"b": "2"}})
        listed = core.list_namespaced_config_map("default", label_selector="via=py")
        try:
            core.read_namespaced_config_map("nope", "default")
            missing = None
        except ApiException as e:
            missing = {"status": e.status, "message": json.loads(e.body)["message"]}
        print(json.dumps({
            "created": made.metadata.name,
            "rv": made.metadata.resource_version,
            "patched": patched.data,
            "listed": [i.metadata.name for i in listed.items],
            "missing": missing,
        }))
    elif step == "watch":
        seen = []
        w = watch.Watch()
        try:
            for ev in w.stream(core.list_namespaced_config_map, "default", resource_version=sys.argv[3], timeout_seconds=5):
                seen.append([ev["type"], ev["object"].metadata.name])
                if len(seen) >= int(sys.argv[4]):
                    w.stop()
            print(json.dumps({"seen": seen}))
        except ApiException as e:
            print(json.dumps({"seen": seen, "error": e.status, "reason": str(e.reason)}))


main()
