export default {
  render({ model, el }) {
    const fig = document.createElement("div"), img = document.createElement("img");
    const above = document.createElement("div"), below = document.createElement("div");
    const summary = document.createElement("div");
    fig.className = "es-fig"; above.className = "es-above"; below.className = "es-below";
    summary.className = "es-summary";
    summary.setAttribute("aria-live", "polite");
    fig.append(above, img, below);
    const caption = model.get("caption");
    el.append(...(caption === "top" ? [summary, fig] : caption === "none" ? [fig] : [fig, summary]));
    let urls = [];
    const shown = {};
    img.addEventListener("load", () => {  // the old picture is off screen: free it
      urls = urls.filter((u) => u === img.src || (URL.revokeObjectURL(u), false));
    });
    const html = (node, key) => {
      const value = model.get(key);
      if (shown[key] !== value) { node.innerHTML = value; shown[key] = value; }
    };
    const update = () => {
      const png = model.get("png");
      if (png !== shown.png && png && png.byteLength) {
        shown.png = png;
        const url = URL.createObjectURL(new Blob([png], { type: "image/png" }));
        urls.push(url);
        img.src = url;
      }
      img.alt = model.get("alt");
      const timing = model.get("timing");
      Object.assign(img.dataset, {
        drawnFor: model.get("drawn_for"), minTextPx: model.get("min_text_px"),
        kernelStart: timing.start ?? "", kernelSent: timing.sent ?? "",
      });
      fig.style.maxWidth = model.get("width") + "px";
      fig.classList.toggle("es-stale", model.get("stale"));
      html(above, "above"); html(below, "below"); html(summary, "summary");
    };
    model.on("change", update);
    update();
    return () => { model.off("change", update); urls.forEach((u) => URL.revokeObjectURL(u)); };
  },
};
