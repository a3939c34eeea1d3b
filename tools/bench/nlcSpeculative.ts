/**
 * node-llama-cpp's own speculative decoding (`DraftSequenceTokenPredictor`) on the same pair, for the
 * `sd-nlc` baseline: the expert's sequence gets the amateur's sequence as its token predictor, drafting
 * exactly γ tokens each time (minConfidence 0), with its own contexts so our decoder's caches are untouched.
 */
import {DraftSequenceTokenPredictor, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token as LlamaToken} from "node-llama-cpp";

export type NlcRun = {
    readonly tokens: number[];
    readonly timeToFirstTokenMs: number | null;
    readonly totalMs: number;
    readonly validated: number;
    readonly refuted: number;
};

export class NlcSpeculative {
    private constructor(
        private readonly expertModel: LlamaModel,
        private readonly contexts: LlamaContext[],
        private readonly sequence: LlamaContextSequence
    ) {}

    static async create(
        expert: LlamaModel,
        amateur: LlamaModel,
        options: {threads: number; contextSize: number; gamma: number}
    ): Promise<NlcSpeculative> {
        const draftContext = await amateur.createContext({contextSize: options.contextSize, threads: options.threads});
        const predictor = new DraftSequenceTokenPredictor(draftContext.getSequence(), {
            minTokens: options.gamma,
            maxTokens: options.gamma,
            minConfidence: 0
        });
        const targetContext = await expert.createContext({contextSize: options.contextSize, threads: options.threads});
        return new NlcSpeculative(expert, [targetContext, draftContext], targetContext.getSequence({tokenPredictor: predictor}));
    }

    async generate(prompt: readonly number[], options: {maxTokens: number; temperature: number; seed: number}): Promise<NlcRun> {
        await this.sequence.clearHistory();
        const before = this.sequence.tokenPredictions;
        const started = performance.now();
        let firstAt: number | null = null;
        const tokens: number[] = [];
        const sampling =
            options.temperature > 0 ? {temperature: options.temperature, topK: 64, topP: 1, minP: 0, seed: options.seed} : {temperature: 0};
        for await (const token of this.sequence.evaluate(prompt as LlamaToken[], sampling)) {
            firstAt ??= performance.now();
            if (this.expertModel.isEogToken(token)) break;
            tokens.push(token as number);
            if (tokens.length >= options.maxTokens) break;
        }
        const totalMs = performance.now() - started;
        const after = this.sequence.tokenPredictions;
        return {
            tokens,
            timeToFirstTokenMs: firstAt == null ? null : firstAt - started,
            totalMs,
            validated: after.validated - before.validated,
            refuted: after.refuted - before.refuted
        };
    }

    async dispose(): Promise<void> {
        for (const context of this.contexts) await context.dispose();
    }
}
