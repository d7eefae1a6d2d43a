"""Results outlive their client: images download after ``close()``, with the settings they were
made with (here: the proxy, which records every request), never with credentials, and bytes
already downloaded are not fetched again."""

from __future__ import annotations

from pathlib import Path

from security_secrets import COOKIE, HF_TOKEN, SECRET_HEADERS, space_urls_to

from hfspace_sdk import BlackForestLabs_Flux1Dev, Client, ImagePreview, ImageResponse

FLUX_DEV = {"model": "flux-dev", "provider": "BlackForestLabs_Flux1Dev", "size": "256x256"}


def _options(lookalikes: dict[str, str], hub_url: str, proxy_url: str) -> dict[str, object]:
    return {
        "space_urls": {**space_urls_to("http://127.0.0.1:9"), **lookalikes},
        "hub_url": hub_url,
        "hf_token": HF_TOKEN,
        "cookies": {"token": COOKIE},
        "proxy": proxy_url,
    }


def _fetched(proxy, since: int, url: str) -> list:  # type: ignore[no-untyped-def]
    return [request for request in proxy.requests[since:] if request.target == url]


def _no_credentials(requests: list) -> None:  # type: ignore[type-arg]
    for request in requests:
        assert not set(request.headers) & set(SECRET_HEADERS), request.headers


def test_an_image_downloads_after_its_client_is_closed_through_the_same_proxy(
    lookalikes, hub, proxy, tmp_path: Path
):
    with Client(**_options(lookalikes, hub.url, proxy.url)) as client:
        [image] = client.images.generate("a fox", **FLUX_DEV).data
    assert image.url is not None
    before = len(proxy.requests)

    saved = image.save(tmp_path / "fox.webp")

    [download] = _fetched(proxy, before, image.url)
    _no_credentials([download])
    assert saved.read_bytes()[:4] == b"RIFF"
    assert image.to_pil().size == (256, 256) and image.mime_type == "image/webp"
    assert len(proxy.requests) == before + 1, "bytes already downloaded are reused"


def test_b64_results_need_no_download_after_close(lookalikes, hub, proxy, tmp_path: Path):
    with Client(**_options(lookalikes, hub.url, proxy.url)) as client:
        [image] = client.images.generate("a fox", response_format="b64_json", **FLUX_DEV).data
    before = len(proxy.requests)
    assert image.save(tmp_path).suffix == ".webp"
    assert image.to_pil().size == (256, 256)
    assert len(proxy.requests) == before


def test_image_response_save_from_a_provider_uses_its_settings(
    lookalikes, hub, proxy, tmp_path: Path
):
    provider = BlackForestLabs_Flux1Dev(**_options(lookalikes, hub.url, proxy.url))
    with provider:
        events = list(
            provider.create_completion(
                "flux-dev", [{"role": "user", "content": "a fox"}], width=256, height=256
            )
        )
    [final] = [
        e for e in events if isinstance(e, ImageResponse) and not isinstance(e, ImagePreview)
    ]
    before = len(proxy.requests)

    [path] = final.save(tmp_path)

    [download] = _fetched(proxy, before, final.urls[0])
    _no_credentials([download])
    assert path.parent == tmp_path and path.stat().st_size > 0
