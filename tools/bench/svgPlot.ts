/** A dependency-free line-chart renderer: vertically stacked panels of series, returned as one standalone SVG string. */

export type PlotSeries = {label: string; points: {x: number; y: number}[]};
export type PlotPanel = {title: string; xLabel: string; yLabel: string; series: PlotSeries[]; yMin?: number; yMax?: number};

/** Okabe–Ito colours (colour-blind friendly), yellow last because it is faint on white. */
const palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#C9B200"];
const markerShapes = ["circle", "square", "triangle", "diamond"] as const;
/** Marker shape of series `i`: shapes cycle too, shifted each time the colours wrap, so no two of the first 32 series look alike. */
function shapeOf(i: number): (typeof markerShapes)[number] {
    return markerShapes[(i + Math.floor(i / palette.length)) % markerShapes.length]!;
}

const fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const titleHeight = 44;
const noteHeight = 28;
const bottomPadding = 10;
const panelTitleHeight = 36;
const panelBottom = 54;
const charWidth = 7.2; // rough width of a 12px character, for margins

/** Escapes the five XML special characters, for text content and attribute values. */
export function escapeXml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})[c]!);
}

function fmt(value: number): string {
    return String(Math.round(value * 100) / 100);
}

/** The "nice number" of Heckbert's algorithm: 1, 2, 5 or 10 times a power of ten near `value`. */
function niceNumber(value: number, round: boolean): number {
    const exponent = Math.floor(Math.log10(value));
    const fraction = value / 10 ** exponent;
    let nice: number;
    if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * 10 ** exponent;
}

export type Axis = {min: number; max: number; ticks: number[]; decimals: number};

/** Round ticks covering [min, max]; ends not fixed by the caller are widened to the nearest tick. */
export function niceAxis(dataMin: number, dataMax: number, fixedMin?: number, fixedMax?: number, tickCount = 5): Axis {
    let lo = fixedMin ?? dataMin;
    let hi = fixedMax ?? dataMax;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
    if (lo > hi) [lo, hi] = [hi, lo];
    if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9) {
        const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
        if (fixedMin === undefined || fixedMax !== undefined) lo -= pad;
        if (fixedMax === undefined || fixedMin !== undefined) hi += pad;
        if (lo === hi) hi = lo + 1;
    }
    const step = niceNumber(niceNumber(hi - lo, false) / (tickCount - 1), true);
    const min = fixedMin !== undefined ? lo : Math.floor(lo / step + 1e-9) * step;
    const max = fixedMax !== undefined ? hi : Math.ceil(hi / step - 1e-9) * step;
    const ticks: number[] = [];
    for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9 && ticks.length < 50; k++) ticks.push(k === 0 ? 0 : k * step);
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return {min, max, ticks, decimals};
}

function tickLabel(value: number, decimals: number): string {
    const text = value.toFixed(decimals);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function finitePoints(series: PlotSeries): {x: number; y: number}[] {
    return series.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
}

function marker(shape: (typeof markerShapes)[number], x: number, y: number, colour: string): string {
    const r = 4;
    const fill = `fill="${colour}" stroke="#ffffff" stroke-width="1"`;
    switch (shape) {
        case "circle":
            return `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="${r}" ${fill}/>`;
        case "square":
            return `<rect x="${fmt(x - r)}" y="${fmt(y - r)}" width="${2 * r}" height="${2 * r}" ${fill}/>`;
        case "triangle":
            return `<polygon points="${fmt(x)},${fmt(y - r - 1)} ${fmt(x + r + 0.5)},${fmt(y + r - 0.5)} ${fmt(x - r - 0.5)},${fmt(y + r - 0.5)}" ${fill}/>`;
        case "diamond":
            return `<polygon points="${fmt(x)},${fmt(y - r - 1)} ${fmt(x + r + 1)},${fmt(y)} ${fmt(x)},${fmt(y + r + 1)} ${fmt(x - r - 1)},${fmt(y)}" ${fill}/>`;
    }
}

function renderPanel(panel: PlotPanel, layout: PlotLayout, top: number): string {
    const {left, plotRight, legendX} = layout;
    const plotTop = top + panelTitleHeight;
    const plotBottom = top + layout.panelHeight - panelBottom;
    const plotWidth = plotRight - left;
    const plotHeight = plotBottom - plotTop;
    const series = panel.series.map((s) => ({label: s.label, points: finitePoints(s)}));
    const all = series.flatMap((s) => s.points);
    const xs = all.map((p) => p.x);
    const ys = all.map((p) => p.y);
    const xAxis = niceAxis(Math.min(...xs), Math.max(...xs));
    const yAxis = niceAxis(Math.min(...ys), Math.max(...ys), panel.yMin, panel.yMax);
    const px = (x: number) => left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * plotWidth;
    const py = (y: number) => plotBottom - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * plotHeight;

    const out: string[] = [];
    out.push(`<g class="panel">`);
    out.push(
        `<text x="${fmt(left + plotWidth / 2)}" y="${top + 22}" text-anchor="middle" font-size="15" font-weight="600" fill="#222222">${escapeXml(panel.title)}</text>`
    );
    // Grid lines and y ticks.
    for (const tick of yAxis.ticks) {
        const y = fmt(py(tick));
        out.push(`<line x1="${left}" y1="${y}" x2="${plotRight}" y2="${y}" stroke="#e4e4e4" stroke-width="1"/>`);
        out.push(`<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="#444444" stroke-width="1"/>`);
        out.push(
            `<text x="${left - 8}" y="${y}" dy="0.35em" text-anchor="end" font-size="12" fill="#444444">${escapeXml(tickLabel(tick, yAxis.decimals))}</text>`
        );
    }
    for (const tick of xAxis.ticks) {
        const x = fmt(px(tick));
        out.push(`<line x1="${x}" y1="${plotBottom}" x2="${x}" y2="${plotBottom + 5}" stroke="#444444" stroke-width="1"/>`);
        out.push(
            `<text x="${x}" y="${plotBottom + 19}" text-anchor="middle" font-size="12" fill="#444444">${escapeXml(tickLabel(tick, xAxis.decimals))}</text>`
        );
    }
    // Axes and their labels.
    out.push(`<rect x="${left}" y="${plotTop}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#444444" stroke-width="1"/>`);
    out.push(
        `<text x="${fmt(left + plotWidth / 2)}" y="${plotBottom + 42}" text-anchor="middle" font-size="13" fill="#222222">${escapeXml(panel.xLabel)}</text>`
    );
    const yLabelX = 18;
    const yLabelY = fmt(plotTop + plotHeight / 2);
    out.push(
        `<text x="${yLabelX}" y="${yLabelY}" transform="rotate(-90 ${yLabelX} ${yLabelY})" text-anchor="middle" dy="0.35em" font-size="13" fill="#222222">${escapeXml(panel.yLabel)}</text>`
    );

    if (all.length === 0) {
        out.push(
            `<text x="${fmt(left + plotWidth / 2)}" y="${fmt(plotTop + plotHeight / 2)}" dy="0.35em" text-anchor="middle" font-size="14" fill="#888888">no data</text>`
        );
    }
    // Series, clipped to the plot area (a fixed y range may cut points off).
    out.push(`<g clip-path="url(#${layout.clipId(top)})">`);
    series.forEach((s, i) => {
        if (s.points.length === 0) return;
        const colour = palette[i % palette.length]!;
        const coords = s.points.map((p) => `${fmt(px(p.x))},${fmt(py(p.y))}`).join(" ");
        out.push(`<polyline points="${coords}" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`);
        for (const p of s.points) out.push(marker(shapeOf(i), px(p.x), py(p.y), colour));
    });
    out.push(`</g>`);
    // Legend, right of the plot.
    series.forEach((s, i) => {
        const colour = palette[i % palette.length]!;
        const y = plotTop + 8 + i * 20;
        out.push(`<line x1="${legendX}" y1="${y}" x2="${legendX + 24}" y2="${y}" stroke="${colour}" stroke-width="2"/>`);
        out.push(marker(shapeOf(i), legendX + 12, y, colour));
        const label = escapeXml(s.label) + (s.points.length === 0 ? " (no data)" : "");
        out.push(`<text x="${legendX + 32}" y="${y}" dy="0.35em" font-size="12" fill="#222222">${label}</text>`);
    });
    out.push(`</g>`);
    return out.join("\n");
}

type PlotLayout = {width: number; panelHeight: number; left: number; plotRight: number; legendX: number; clipId: (top: number) => string};

/** Renders stacked line-chart panels (one polyline plus markers per series, a legend per panel) as a standalone SVG document. */
export function renderLinePlot(options: {title: string; panels: PlotPanel[]; width?: number; panelHeight?: number; note?: string}): string {
    const width = Math.max(320, options.width ?? 820);
    const panelHeight = Math.max(180, options.panelHeight ?? 360);
    const panels = options.panels;
    // Margins from the longest tick and legend labels of any panel, so all panels line up.
    let tickChars = 3;
    let legendChars = 0;
    for (const panel of panels) {
        const ys = panel.series.flatMap((s) => finitePoints(s).map((p) => p.y));
        const axis = niceAxis(Math.min(...ys), Math.max(...ys), panel.yMin, panel.yMax);
        for (const tick of axis.ticks) tickChars = Math.max(tickChars, tickLabel(tick, axis.decimals).length);
        for (const s of panel.series) legendChars = Math.max(legendChars, s.label.length + (finitePoints(s).length === 0 ? 10 : 0));
    }
    const left = Math.round(40 + tickChars * charWidth);
    const legendWidth = legendChars === 0 ? 0 : Math.min(Math.round(width * 0.35), Math.round(48 + legendChars * charWidth));
    const plotRight = Math.max(left + 100, width - 20 - legendWidth);
    const legendX = plotRight + 16;
    const layout: PlotLayout = {width, panelHeight, left, plotRight, legendX, clipId: (top) => `plot-clip-${top}`};

    const note = options.note;
    const height = titleHeight + panels.length * panelHeight + (note ? noteHeight : 0) + bottomPadding;
    const out: string[] = [];
    out.push(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${fontFamily}">`
    );
    out.push(`<title>${escapeXml(options.title)}</title>`);
    out.push(`<defs>`);
    panels.forEach((_, i) => {
        const top = titleHeight + i * panelHeight;
        const plotTop = top + panelTitleHeight;
        const plotHeight = panelHeight - panelTitleHeight - panelBottom;
        // A few pixels of slack so markers on the frame stay whole.
        out.push(
            `<clipPath id="${layout.clipId(top)}"><rect x="${left - 6}" y="${plotTop - 6}" width="${plotRight - left + 12}" height="${plotHeight + 12}"/></clipPath>`
        );
    });
    out.push(`</defs>`);
    out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
    out.push(
        `<text x="${fmt(width / 2)}" y="28" text-anchor="middle" font-size="18" font-weight="700" fill="#111111">${escapeXml(options.title)}</text>`
    );
    panels.forEach((panel, i) => out.push(renderPanel(panel, layout, titleHeight + i * panelHeight)));
    if (note) {
        const y = titleHeight + panels.length * panelHeight + noteHeight / 2 + 4;
        out.push(`<text x="${left}" y="${y}" font-size="12" fill="#666666">${escapeXml(note)}</text>`);
    }
    out.push(`</svg>`);
    return out.join("\n") + "\n";
}
