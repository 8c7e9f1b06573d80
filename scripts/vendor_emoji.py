"""Copy the scene icons named in `shared/synthora/media/emoji/manifest.json` from the npm package.

The bundled icons are SVGs copied unmodified from `icons/flat/` of the npm
package `fluentui-emoji@1.3.0` (MIT). To add an icon: add its name and
keywords to the manifest, then

    npm install --prefix /tmp/emoji --no-save fluentui-emoji@1.3.0
    python scripts/vendor_emoji.py /tmp/emoji/node_modules/fluentui-emoji

which copies every listed SVG (and the package's LICENSE) and removes SVGs
the manifest no longer names.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

BUNDLE = Path(__file__).resolve().parents[1] / "shared" / "synthora" / "media" / "emoji"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(f"usage: {argv[0]} PATH/TO/node_modules/fluentui-emoji\n")
        return 2
    package = Path(argv[1])
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != "fluentui-emoji" or meta.get("license") != "MIT":
        sys.stderr.write(f"{package} is not the MIT fluentui-emoji package\n")
        return 1
    names = json.loads((BUNDLE / "manifest.json").read_text(encoding="utf-8"))["icons"]
    missing = [n for n in names if not (package / "icons" / "flat" / f"{n}.svg").is_file()]
    if missing:
        sys.stderr.write(f"not in {package}: {', '.join(missing)}\n")
        return 1
    for name in names:
        shutil.copyfile(package / "icons" / "flat" / f"{name}.svg", BUNDLE / f"{name}.svg")
    for svg in BUNDLE.glob("*.svg"):
        if svg.stem not in names:
            svg.unlink()
    shutil.copyfile(package / "LICENSE", BUNDLE / "LICENSE")
    sys.stdout.write(f"{len(names)} icons from fluentui-emoji@{meta.get('version')}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
