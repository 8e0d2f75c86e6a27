// A QR code drawn as SVG in the browser by qrcode-generator, installed from npm at a pinned
// version (web_client/package.json) and published beside the app under assets/vendor/.

const SVG = "http://www.w3.org/2000/svg";
// Modules of light margin around the code, as the QR specification asks.
const QUIET_ZONE = 4;

/**
 * An <svg> of `text` as a QR code, named `label` for screen readers. The library is loaded
 * only when a code is drawn, so the rest of the app never depends on it.
 */
export async function qrCodeSvg(text, label) {
  const { default: qrcode } = await import("../vendor/qrcode.mjs");
  const code = qrcode(0, "M");
  code.addData(text);
  code.make();
  const count = code.getModuleCount();
  const size = count + 2 * QUIET_ZONE;
  const squares = [];
  for (let row = 0; row < count; row += 1) {
    for (let column = 0; column < count; column += 1) {
      if (code.isDark(row, column)) squares.push(`M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`);
    }
  }
  const svg = document.createElementNS(SVG, "svg");
  for (const [name, value] of Object.entries({
    viewBox: `0 0 ${size} ${size}`,
    role: "img",
    "aria-label": label,
    class: "qr-code",
    "shape-rendering": "crispEdges",
    "data-modules": String(count),
  })) {
    svg.setAttribute(name, value);
  }
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  const modules = document.createElementNS(SVG, "path");
  modules.setAttribute("d", squares.join(""));
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  return svg;
}
