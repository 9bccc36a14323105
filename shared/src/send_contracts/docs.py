"""Swagger UI at /docs and ReDoc at /redoc, with no CDN: their scripts and styles are the files the
`fastapi-offline` package ships (Swagger UI 5 and ReDoc 2, MIT), served by the service itself, and
the pages name only same-origin URLs. Councils' networks often block CDNs, and a page that loads
nothing is worse than no page."""

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse

ASSETS_URL = "/docs-assets"
DOCS_URL = "/docs"
REDOC_URL = "/redoc"
_ASSETS_PACKAGE = ("fastapi_offline", "static")


def install_offline_docs(app: FastAPI) -> None:
    """Serve the documentation pages and their assets. The app must be made with `docs_url=None`
    and `redoc_url=None`, so FastAPI's CDN pages are not there too."""
    if app.docs_url is not None or app.redoc_url is not None:
        raise ValueError("make the app with docs_url=None and redoc_url=None")
    if app.openapi_url is None:
        raise ValueError("the documentation pages need the app's OpenAPI document")
    openapi_url = app.openapi_url
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"
    title = app.title

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{title} — Swagger UI",
            oauth2_redirect_url=f"{root}{oauth2_redirect_url}",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    async def swagger_ui_oauth2_redirect(_: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{title} — ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )

    app.mount(ASSETS_URL, StaticFiles(packages=[_ASSETS_PACKAGE]), name="docs-assets")
    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
    app.add_route(oauth2_redirect_url, swagger_ui_oauth2_redirect, include_in_schema=False)
    app.add_route(REDOC_URL, redoc, include_in_schema=False)
