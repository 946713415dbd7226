"""The Kubernetes manifests, checked against the schemas that kubernetes-validate
bundles for every supported version, and against this repository's rules.
"""

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import all_versions

from .deploy_support import K8S, PORTS, SECRETS, SERVICES, compose, environment

OLDEST_KUBERNETES = (1, 31)
NAMESPACE = "mandates"


def _manifests() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            for document in yaml.safe_load_all(path.read_text()):
                if document:
                    yield path.name, document


def _objects(kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for _, o in _manifests() if o["kind"] == kind}


def _kubernetes_versions() -> list[str]:
    versions = {".".join(v.split(".")[:2]) for v in all_versions()}
    newer = [v for v in versions if tuple(map(int, v.split("."))) >= OLDEST_KUBERNETES]
    return sorted(newer, key=lambda v: tuple(map(int, v.split("."))))


@pytest.mark.parametrize("version", _kubernetes_versions())
def test_manifests_match_the_kubernetes_schemas(version: str) -> None:
    failures = []

    for name, document in _manifests():
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(map(str, error.path))
            failures.append(f"{name} {document['kind']} {path}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            failures.append(f"{name}: {error.message}")

    assert failures == []


def test_strict_validation_catches_a_misspelt_field() -> None:
    deployment = copy.deepcopy(_objects("Deployment")["ssm-api"])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, _kubernetes_versions()[-1], True)


def test_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    manifests = {path.name for path in K8S.glob("*.yaml")}

    assert kustomization["namespace"] == NAMESPACE
    assert set(kustomization["resources"]) == manifests - {
        "kustomization.yaml",
        "secrets.example.yaml",
    }


def test_everything_lives_in_a_restricted_namespace() -> None:
    namespace = _objects("Namespace")[NAMESPACE]

    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    for name, document in _manifests():
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == NAMESPACE, name


def _pods() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in _objects("CronJob").items():
        yield name, job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    for kind in ("Deployment", "Job"):
        for name, workload in _objects(kind).items():
            yield name, workload["spec"]["template"]["spec"]


def test_every_pod_runs_unprivileged_within_limits() -> None:
    images = {f"registry.example.org/mandates/{name}" for name in SERVICES}

    for name, pod in _pods():
        assert pod["automountServiceAccountToken"] is False, name
        context = pod["securityContext"]
        assert context["runAsNonRoot"] is True, name
        assert context["runAsUser"] > 0, name
        assert context["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in pod["containers"]:
            image, _, tag = container["image"].rpartition(":")
            assert image in images, name
            assert re.fullmatch(r"\d+\.\d+\.\d+", tag), name
            own = container["securityContext"]
            assert own["allowPrivilegeEscalation"] is False, name
            assert own["readOnlyRootFilesystem"] is True, name
            assert own["capabilities"]["drop"] == ["ALL"], name
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, name


def test_deployments_probe_drain_and_roll_without_loss() -> None:
    for name, deployment in _objects("Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        (port,) = container["ports"]

        assert port["containerPort"] == PORTS[name]
        assert container["args"][-1] == str(PORTS[name])
        assert container["readinessProbe"]["httpGet"] == {
            "path": "/readyz",
            "port": port["name"],
        }
        for probe in ("livenessProbe", "startupProbe"):
            assert container[probe]["httpGet"] == {
                "path": "/healthz",
                "port": port["name"],
            }
        pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert 0 < pause < pod["terminationGracePeriodSeconds"] - 10
        rolling = deployment["spec"]["strategy"]["rollingUpdate"]
        assert rolling["maxUnavailable"] == 0


def test_each_deployment_has_a_service_an_autoscaler_and_a_disruption_budget() -> None:
    services = _objects("Service")
    autoscalers = _objects("HorizontalPodAutoscaler")
    budgets = _objects("PodDisruptionBudget")

    assert set(_objects("Deployment")) == set(SERVICES)
    for name, deployment in _objects("Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels.items()
        assert services[name]["spec"]["selector"] == selector
        assert services[name]["spec"]["ports"][0]["targetPort"] == "http"
        scaler = autoscalers[name]
        assert scaler["apiVersion"] == "autoscaling/v2"
        assert scaler["spec"]["scaleTargetRef"]["name"] == name
        assert 2 <= scaler["spec"]["minReplicas"] < scaler["spec"]["maxReplicas"]
        assert budgets[name]["apiVersion"] == "policy/v1"
        assert budgets[name]["spec"]["selector"]["matchLabels"] == selector


def _container(pod: Mapping[str, Any]) -> dict[str, Any]:
    (container,) = pod["containers"]
    return dict(container)


def test_migrations_and_the_dispatcher_run_from_the_service_images() -> None:
    deployments = {n: _container(p) for n, p in _pods() if n in SERVICES}
    jobs = _objects("Job")
    (dispatcher,) = _objects("CronJob").values()
    dispatch = _container(dispatcher["spec"]["jobTemplate"]["spec"]["template"]["spec"])

    for name, api in deployments.items():
        job = jobs[f"{name}-migrate"]
        migrate = _container(job["spec"]["template"]["spec"])
        assert migrate["args"] == ["migrate"]
        assert (migrate["image"], migrate["envFrom"]) == (api["image"], api["envFrom"])
        hooks = job["metadata"]["annotations"]
        assert hooks["argocd.argoproj.io/hook"] == "Sync"
        assert int(hooks["argocd.argoproj.io/sync-wave"]) < int(
            _objects("Deployment")[name]["metadata"]["annotations"][
                "argocd.argoproj.io/sync-wave"
            ]
        )
    assert dispatch["args"] == ["outbox", "dispatch"]
    assert dispatch["image"] == deployments["ssm-api"]["image"]
    assert dispatcher["spec"]["concurrencyPolicy"] == "Forbid"


def test_the_identity_stub_is_not_deployed() -> None:
    text = "\n".join(path.read_text() for path in K8S.glob("*.yaml"))

    assert "identity-stub" not in text
    assert "IDP_" not in text


def test_kubernetes_settings_match_the_compose_ones() -> None:
    config_maps = _objects("ConfigMap")
    secrets = _objects("Secret")
    services = compose()["services"]

    for name, prefix in SERVICES.items():
        plain = config_maps[f"{name}-config"]["data"]
        secret = secrets[f"{name}-secrets"]["stringData"]
        assert set(plain) | set(secret) == set(environment(services[name]))
        assert set(secret) == {prefix + key for key in SECRETS}
        assert all("REPLACE-ME" in value for value in secret.values())
        assert plain[f"{prefix}ENVIRONMENT"] == "production"
        assert plain[f"{prefix}OIDC_AUDIENCE"] == name
        for pod_name, pod in _pods():
            if pod_name.startswith(name.removesuffix("-api")):
                refs = _container(pod)["envFrom"]
                assert refs == [
                    {"configMapRef": {"name": f"{name}-config"}},
                    {"secretRef": {"name": f"{name}-secrets"}},
                ]
