"""Third-party code the site loads in the browser: installed from npm at the versions
web_client/package-lock.json pins (`make setup` runs `npm ci`), never committed, published
with the site under `assets/vendor/` and served there by the local stack."""

from pathlib import Path

from web_client.errors import MissingVendorFilesError

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
# The site's path -> the file in node_modules.
VENDOR_FILES = {
    "assets/vendor/qrcode.mjs": "qrcode-generator/dist/qrcode.mjs",
}


def vendor_files(node_modules: Path = NODE_MODULES) -> dict[str, Path]:
    """Each vendor file's site path and installed file; every missing file is named."""
    files = {key: node_modules / source for key, source in VENDOR_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise MissingVendorFilesError(missing)
    return files
