/**
 * What one generation counts as it runs (rounds, drafts and their fate, per draft position; the top-K
 * approximations hit; time spent waiting on llama.cpp; time to the first token) and the GenerationStats it
 * ends with. The decoding loop (pairDecoder.ts) reports events here and never does the arithmetic itself.
 */
import type {Arm} from "./adaptive/speedModel.ts";
import type {DecodeMode, GenerationStats, StopReason} from "./types.ts";

export class GenerationCounters {
    private readonly startedAt = performance.now();
    private firstTokenAt: number | null = null;
    /** Wall time spent awaiting llama.cpp (evaluations, cache edits), for overhead accounting. */
    private modelWaitMs = 0;
    private rounds = 0;
    private drafted = 0;
    private accepted = 0;
    private corrections = 0;
    private bonuses = 0;
    private lookaheadRounds = 0;
    private amateurFloorHits = 0;
    private headTruncations = 0;
    private residualFallbacks = 0;
    private fallbackTokens = 0;
    private readonly gammaHistogram: Record<string, number> = {};
    /** Drafts verified at each draft position (index 0: a round's first draft), and how many were accepted. */
    private readonly draftedAt: number[] = [];
    private readonly acceptedAt: number[] = [];
    readonly reused = {expert: 0, amateur: 0};
    /** Plain steps of the expert alone and of cd run in this generation (one token in, one out), and their time. */
    private readonly steps = {expert: {steps: 0, ms: 0}, cd: {steps: 0, ms: 0}};

    /** Awaits `work`, adding its wall time to the time spent waiting on the models. */
    async wait<T>(work: Promise<T>): Promise<T> {
        const started = performance.now();
        try {
            return await work;
        } finally {
            this.modelWaitMs += performance.now() - started;
        }
    }

    /** A speculative round with `gamma` drafts began. */
    round(gamma: number): void {
        this.rounds++;
        this.gammaHistogram[gamma] = (this.gammaHistogram[gamma] ?? 0) + 1;
    }

    /** The round's `count` drafts go to verification. */
    draftsVerified(count: number): void {
        this.drafted += count;
        for (let i = 0; i < count; i++) this.draftedAt[i] = (this.draftedAt[i] ?? 0) + 1;
    }

    /** The draft at `index` in its round was accepted. */
    draftAccepted(index: number): void {
        this.accepted++;
        this.acceptedAt[index] = (this.acceptedAt[index] ?? 0) + 1;
    }

    correction(): void {
        this.corrections++;
    }

    bonus(): void {
        this.bonuses++;
    }

    lookaheadRound(): void {
        this.lookaheadRounds++;
    }

    /** A contrastive target was formed, with the top-K approximations it hit. */
    target(floorHits: number, truncated: boolean): void {
        this.amateurFloorHits += floorHits;
        if (truncated) this.headTruncations++;
    }

    residualFallback(): void {
        this.residualFallbacks++;
    }

    /** γ auto decoded `tokens` tokens without speculating. */
    fallback(tokens: number): void {
        this.fallbackTokens += tokens;
    }

    /** A plain expert-alone or cd step took `ms` (from its call to its token committed). */
    step(kind: "expert" | "cd", ms: number): void {
        this.steps[kind].steps++;
        this.steps[kind].ms += ms;
    }

    /** A token was committed (the first one sets the time to the first token). */
    committed(): void {
        this.firstTokenAt ??= performance.now();
    }

    stats(run: {
        readonly mode: DecodeMode;
        readonly generatedTokens: number;
        readonly expertCalls: number;
        readonly amateurCalls: number;
        readonly promptTokens: number;
        readonly adaptivePick: Arm | null;
        readonly sharedVocabularySize: number;
        readonly stopReason: StopReason;
        readonly seed: number;
    }): GenerationStats {
        const totalMs = performance.now() - this.startedAt;
        const speculative = run.mode === "scd" || run.mode === "sd";
        const verified = speculative && this.rounds > 0;
        return {
            mode: run.mode,
            generatedTokens: run.generatedTokens,
            expertCalls: run.expertCalls,
            amateurCalls: run.amateurCalls,
            rounds: this.rounds,
            draftedTokens: this.drafted,
            acceptedTokens: this.accepted,
            correctionTokens: this.corrections,
            bonusTokens: this.bonuses,
            lookaheadRounds: this.lookaheadRounds,
            acceptanceRate: this.drafted > 0 ? this.accepted / this.drafted : null,
            meanAcceptedLength: verified ? this.accepted / this.rounds : null,
            meanAcceptanceLength: verified ? 1 + this.accepted / this.rounds : null,
            acceptanceByPosition: this.draftedAt.map((drafted, i) => (this.acceptedAt[i] ?? 0) / drafted),
            timeToFirstTokenMs: this.firstTokenAt == null ? null : this.firstTokenAt - this.startedAt,
            totalMs,
            modelWaitMs: this.modelWaitMs,
            tokensPerSecond: totalMs > 0 ? (run.generatedTokens * 1000) / totalMs : 0,
            promptTokens: run.promptTokens,
            reusedPromptTokens: {...this.reused},
            measuredSteps: {expert: {...this.steps.expert}, cd: {...this.steps.cd}},
            amateurFloorHits: this.amateurFloorHits,
            headTruncations: this.headTruncations,
            residualFallbacks: this.residualFallbacks,
            gammaHistogram: {...this.gammaHistogram},
            fallbackTokens: this.fallbackTokens,
            adaptivePick: run.adaptivePick,
            sharedVocabularySize: run.sharedVocabularySize,
            stopReason: run.stopReason,
            seed: run.seed
        };
    }
}
