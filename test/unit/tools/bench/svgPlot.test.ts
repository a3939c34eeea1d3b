/** The SVG line-chart renderer: well-formed markup, labels and escaping, one polyline per series, monotone coordinates, edge cases. */
import assert from "node:assert/strict";
import {writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {test} from "node:test";
import {niceAxis, renderLinePlot, type PlotPanel} from "../../../../tools/bench/svgPlot.ts";

/** Throws unless every opening tag is closed in order; returns the element names seen. */
function checkTagBalance(svg: string): string[] {
    const stack: string[] = [];
    const names: string[] = [];
    const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;
    let last = 0;
    for (const match of svg.matchAll(tag)) {
        const between = svg.slice(last, match.index);
        assert.ok(!between.includes("<") && !between.includes(">"), `stray angle bracket in ${JSON.stringify(between)}`);
        assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(between), `unescaped & in ${JSON.stringify(between)}`);
        last = match.index + match[0].length;
        const [, closing, name, , selfClosing] = match;
        names.push(name!);
        if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
        else if (!selfClosing) stack.push(name!);
    }
    assert.equal(svg.slice(last).trim(), "", "text after the last tag");
    assert.deepEqual(stack, [], "unclosed elements");
    return names;
}

function polylines(svg: string): {x: number; y: number}[][] {
    return [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
        m[1]!.split(" ").map((pair) => {
            const [x, y] = pair.split(",").map(Number);
            return {x: x!, y: y!};
        })
    );
}

const gammas = [1, 2, 3, 4, 6, 8];
const benchmarkPanels: PlotPanel[] = [
    {
        title: "Throughput",
        xLabel: "γ (draft tokens per step)",
        yLabel: "tokens/s",
        series: [0.05, 0.1, 0.5].map((beta, i) => ({
            label: `β = ${beta}`,
            points: gammas.map((g) => ({x: g, y: 40 + 12 * Math.log(g + 1) * (1 + i * 0.3) - g * (1.5 + i)}))
        }))
    },
    {
        title: "Acceptance rate",
        xLabel: "γ (draft tokens per step)",
        yLabel: "accepted share",
        yMin: 0,
        yMax: 1,
        series: [0.05, 0.1, 0.5].map((beta, i) => ({
            label: `β = ${beta}`,
            points: gammas.map((g) => ({x: g, y: 0.92 - 0.035 * g * (1 + i * 0.4)}))
        }))
    }
];

test("renders a well-formed standalone SVG with titles, labels and a note", () => {
    const svg = renderLinePlot({title: "SCD sweep", panels: benchmarkPanels, note: "test machine · story-15M / story-260K"});
    assert.ok(svg.startsWith("<svg"));
    assert.ok(svg.includes(`xmlns="http://www.w3.org/2000/svg"`));
    const names = checkTagBalance(svg);
    assert.equal(names[0], "svg");
    for (const text of [
        "SCD sweep",
        "Throughput",
        "Acceptance rate",
        "tokens/s",
        "accepted share",
        "γ (draft tokens per step)",
        "β = 0.05",
        "β = 0.1",
        "β = 0.5",
        "story-15M / story-260K"
    ])
        assert.ok(svg.includes(text), `missing ${text}`);
    assert.ok(svg.includes(`fill="#ffffff"`));
    assert.equal(polylines(svg).length, 6);
    const path = join(tmpdir(), "tandem-svgPlot-example.svg");
    writeFileSync(path, svg);
});

test("escapes markup characters in every text", () => {
    const svg = renderLinePlot({
        title: "a <b> & c",
        note: "x < y && y > z",
        panels: [
            {
                title: "<panel>",
                xLabel: "x & y",
                yLabel: "\"quoted\" 'y'",
                series: [
                    {
                        label: "<script>&amp;",
                        points: [
                            {x: 1, y: 2},
                            {x: 2, y: 3}
                        ]
                    }
                ]
            }
        ]
    });
    checkTagBalance(svg);
    assert.ok(!svg.includes("<script>"));
    assert.ok(!svg.includes("<b>"));
    assert.ok(svg.includes("&lt;script&gt;&amp;amp;"));
    assert.ok(svg.includes("a &lt;b&gt; &amp; c"));
    assert.ok(svg.includes("x &lt; y &amp;&amp; y &gt; z"));
    assert.ok(svg.includes("&lt;panel&gt;"));
    assert.ok(svg.includes("&quot;quoted&quot; &apos;y&apos;"));
});

test("one polyline per non-empty series", () => {
    const svg = renderLinePlot({
        title: "mixed",
        panels: [
            {
                title: "p1",
                xLabel: "x",
                yLabel: "y",
                series: [
                    {
                        label: "full",
                        points: [
                            {x: 0, y: 1},
                            {x: 1, y: 2}
                        ]
                    },
                    {label: "empty", points: []}
                ]
            },
            {
                title: "p2",
                xLabel: "x",
                yLabel: "y",
                series: [
                    {label: "single", points: [{x: 3, y: 4}]},
                    {label: "nan", points: [{x: 1, y: Number.NaN}]}
                ]
            }
        ]
    });
    checkTagBalance(svg);
    assert.equal(polylines(svg).length, 2);
    for (const label of ["full", "empty", "single", "nan"]) assert.ok(svg.includes(label));
});

test("series points map monotonically to pixels: larger x right, larger y up", () => {
    const svg = renderLinePlot({title: "monotone", panels: benchmarkPanels});
    const lines = polylines(svg);
    for (const [p, panel] of benchmarkPanels.entries()) {
        for (const [s, series] of panel.series.entries()) {
            const pixels = lines[p * panel.series.length + s]!;
            assert.equal(pixels.length, series.points.length);
            for (let i = 0; i < pixels.length; i++) {
                for (let j = 0; j < pixels.length; j++) {
                    const [a, b] = [series.points[i]!, series.points[j]!];
                    if (a.x < b.x) assert.ok(pixels[i]!.x < pixels[j]!.x);
                    if (a.y < b.y) assert.ok(pixels[i]!.y > pixels[j]!.y);
                    if (a.y === b.y) assert.equal(pixels[i]!.y, pixels[j]!.y);
                }
            }
        }
    }
    // Points of different series share one scale within a panel.
    const first = lines[0]!;
    const third = lines[2]!;
    const [a, c] = [benchmarkPanels[0]!.series[0]!.points[0]!, benchmarkPanels[0]!.series[2]!.points[0]!];
    assert.equal(first[0]!.x, third[0]!.x);
    assert.equal(a.y < c.y, first[0]!.y > third[0]!.y);
});

test("points given out of order are drawn in x order", () => {
    const svg = renderLinePlot({
        title: "t",
        panels: [
            {
                title: "p",
                xLabel: "x",
                yLabel: "y",
                series: [
                    {
                        label: "s",
                        points: [
                            {x: 3, y: 1},
                            {x: 1, y: 2},
                            {x: 2, y: 3}
                        ]
                    }
                ]
            }
        ]
    });
    const [line] = polylines(svg);
    assert.ok(line![0]!.x < line![1]!.x && line![1]!.x < line![2]!.x);
});

test("edge cases: a single point, all-equal y values, empty panels, no panels", () => {
    const single = renderLinePlot({
        title: "single",
        panels: [{title: "p", xLabel: "x", yLabel: "y", series: [{label: "one", points: [{x: 5, y: 7}]}]}]
    });
    checkTagBalance(single);
    const [point] = polylines(single);
    assert.equal(point!.length, 1);
    assert.ok(Number.isFinite(point![0]!.x) && Number.isFinite(point![0]!.y));
    assert.ok(!single.includes("NaN") && !single.includes("Infinity"));

    const flat = renderLinePlot({
        title: "flat",
        panels: [{title: "p", xLabel: "x", yLabel: "y", series: [{label: "flat", points: [1, 2, 3].map((x) => ({x, y: 0}))}]}]
    });
    checkTagBalance(flat);
    const [flatLine] = polylines(flat);
    assert.ok(flatLine!.every((p) => p.y === flatLine![0]!.y && Number.isFinite(p.y)));
    assert.ok(!flat.includes("NaN") && !flat.includes("Infinity"));

    const empty = renderLinePlot({title: "empty", panels: [{title: "nothing here", xLabel: "x", yLabel: "y", series: []}]});
    checkTagBalance(empty);
    assert.ok(empty.includes("no data"));
    assert.ok(empty.includes("nothing here"));
    assert.equal(polylines(empty).length, 0);
    assert.ok(!empty.includes("NaN") && !empty.includes("Infinity"));

    const none = renderLinePlot({title: "no panels", panels: []});
    checkTagBalance(none);
    assert.ok(none.includes("no panels"));
});

test("niceAxis picks round ticks covering the data", () => {
    assert.deepEqual(
        niceAxis(0, 1).ticks.map((t) => +t.toFixed(6)),
        [0, 0.2, 0.4, 0.6, 0.8, 1]
    );
    const axis = niceAxis(13, 87);
    assert.ok(axis.min <= 13 && axis.max >= 87);
    assert.deepEqual(axis.ticks, [0, 20, 40, 60, 80, 100]);
    assert.equal(axis.decimals, 0);
    const fixed = niceAxis(0.3, 0.9, 0, 1);
    assert.equal(fixed.min, 0);
    assert.equal(fixed.max, 1);
    const flat = niceAxis(5, 5);
    assert.ok(flat.min < 5 && flat.max > 5 && flat.ticks.length >= 2);
    const tiny = niceAxis(1e6, 1e6 + 1e-10);
    assert.ok(tiny.ticks.length >= 2 && tiny.ticks.length <= 50);
});
