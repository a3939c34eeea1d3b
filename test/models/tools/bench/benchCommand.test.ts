/**
 * `tandem bench` end to end on the story pair with tiny settings: every mode's row, the primitives, the
 * predictions and ratios, γ auto's table, the JSON file, the sweep's SVG plot (γ auto marked) and the quality table. (Speed targets are read
 * from the bench's own numbers, never asserted here.)
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {test} from "node:test";
import {modelsDir} from "../../../helpers/models.ts";

const bin = fileURLToPath(new URL("../../../../bin/tandem.mjs", import.meta.url));

test("bench on the story pair prints every mode, the primitives, predictions, ratios, a sweep plot and quality", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-bench-"));
    const json = path.join(dir, "bench.json");
    const plot = path.join(dir, "sweep.svg");
    const result = spawnSync(
        process.execPath,
        [
            bin,
            "bench",
            "--models",
            modelsDir,
            "--cpu",
            "--threads",
            "1",
            "--repeats",
            "1",
            "--prompts",
            "1",
            "--max-tokens",
            "8",
            "--json",
            json,
            "--sweep",
            "--plot",
            plot,
            "--quality",
            "--quality-prompts",
            "2"
        ],
        {encoding: "utf8", timeout: 300_000}
    );
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout;
    for (const mode of ["expert", "amateur", "cd", "sd", "sd-auto", "sd-nlc", "scd", "scd-auto"]) {
        for (const sampling of ["greedy", "sampled"])
            assert.match(out, new RegExp(`\\| ${mode} \\| ${sampling} \\| [\\d.]+ \\(`), `${mode} ${sampling}`);
    }
    assert.match(out, /Primitives: t_a = [\d.]+ ms, t_e = [\d.]+ ms, t_v\(5\) = [\d.]+ ms/);
    assert.match(out, /\| scd \| greedy \| [\d.]+% \| [\d.]+ \| [\d.]+ \| [\d.]+ \| /);
    for (const ratio of ["sd / sd-nlc", "scd / cd", "scd / expert", "scd-auto / cd", "scd-auto / scd", "sd-auto / expert"])
        assert.ok(out.includes(`| ${ratio} |`), ratio);
    // γ auto's own table: rounds by γ, fallback share, the pick.
    for (const mode of ["sd-auto", "scd-auto"])
        assert.match(out, new RegExp(`\\| ${mode} \\| greedy \\| [^|]+ \\| [\\d.]+% \\| ((γ \\d|fallback) (side by side|serial)|–) \\|`), mode);
    assert.match(out, /\| auto \| [\d.]+ \(\d+%\), (γ \d|fallback|no pick)/);
    assert.match(out, /### Sweep/);
    assert.match(out, /### Quality/);
    for (const mode of ["expert", "amateur", "sd", "cd", "scd"]) assert.match(out, new RegExp(`\\| ${mode} \\| [\\d.]+% \\| 0\\.\\d{3} \\|`));

    const recorded = JSON.parse(readFileSync(json, "utf8"));
    assert.equal(recorded.results.length, 1);
    assert.equal(recorded.results[0].modes.length, 16);
    assert.equal(recorded.sweep.points.length, 8 * 4);
    assert.equal(recorded.sweep.auto.length, 4);
    assert.ok(recorded.sweep.expertTokensPerSecond > 0 && recorded.sweep.cdTokensPerSecond > 0);
    assert.equal(recorded.quality.length, 5);
    const svg = readFileSync(plot, "utf8");
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const picks = recorded.sweep.auto.filter((a: {pickGamma: number | null}) => a.pickGamma != null).length;
    assert.equal((svg.match(/<polyline/g) ?? []).length, 9 + picks, "two panels × four β, the expert alone, and γ auto's pick per β");
    if (picks > 0) assert.match(svg, /auto, β = /);
    assert.match(svg, /expert alone/);
});
