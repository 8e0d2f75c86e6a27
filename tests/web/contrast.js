// For every element with text of its own: the contrast ratio (WCAG 2) of its colour on the
// first opaque background behind it, and whether it counts as large text.
() => {
  const channel = (value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const parse = (color) => color.match(/[\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const rgba = parse(getComputedStyle(node).backgroundColor);
      if (rgba.length < 4 || rgba[3] === 1) return rgba;
    }
    return [255, 255, 255];
  };
  const results = [];
  for (const element of document.querySelectorAll("body *")) {
    const ownText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(element);
    if (!ownText || style.visibility === "hidden" || element.closest("[hidden], [disabled]")) continue;
    if (element.getClientRects().length === 0) continue;
    const [fg, bg] = [luminance(parse(style.color)), luminance(background(element))];
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    results.push({ text: element.textContent.trim().slice(0, 40), ratio, large });
  }
  return results;
}
