/**
 * The database's rows and their mapping to the app's data shapes (contract/api.ts). JSON columns are parsed
 * here; settings read back are kept only where the option table still knows the key and accepts the value, so
 * a setting removed or narrowed by a later version never reaches the engine. Pure: no I/O.
 */
import {
    optionProblem,
    optionTable,
    type Conversation,
    type CostCurves,
    type Message,
    type MessageRole,
    type MessageStats,
    type MessageStatus,
    type SettingsOverrides,
    type SpeedBaseline,
    type TokenRun
} from "../../src-shared/index.ts";

export type ConversationRow = {
    readonly id: string;
    readonly title: string;
    readonly created_at: string;
    readonly updated_at: string;
    readonly expert_path: string | null;
    readonly amateur_path: string | null;
    readonly overrides: string;
};

export type MessageRow = {
    readonly seq: number;
    readonly id: string;
    readonly conversation_id: string;
    readonly role: MessageRole;
    readonly content: string;
    readonly status: MessageStatus;
    readonly error: string | null;
    readonly stats: string | null;
    readonly runs: string | null;
    readonly seed: number | null;
    readonly created_at: string;
    readonly updated_at: string;
};

export type BaselineRow = {
    readonly pair_key: string;
    readonly device: string;
    readonly expert_tokens_per_second: number;
    readonly measured_at: string;
    /** Absent before schema 2's step ran; NULL in baselines measured before curves existed. */
    readonly curves?: string | null;
};

/** The entries of `values` the option table knows and accepts. */
export function knownSettings(values: Readonly<Record<string, unknown>>): SettingsOverrides {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
        const spec = optionTable.find((o) => o.key === key);
        if (spec != null && value !== undefined && optionProblem(spec, value) == null) kept[key] = value;
    }
    return kept as SettingsOverrides;
}

function parseObject(json: string): Record<string, unknown> {
    const value: unknown = JSON.parse(json);
    return value != null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function toConversation(row: ConversationRow): Conversation {
    return {
        id: row.id,
        title: row.title,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        pair: row.expert_path != null && row.amateur_path != null ? {expertPath: row.expert_path, amateurPath: row.amateur_path} : null,
        overrides: knownSettings(parseObject(row.overrides))
    };
}

export function toMessage(row: MessageRow): Message {
    return {
        id: row.id,
        conversationId: row.conversation_id,
        role: row.role,
        content: row.content,
        status: row.status,
        error: row.error,
        stats: row.stats == null ? null : (JSON.parse(row.stats) as MessageStats),
        runs: row.runs == null ? null : (JSON.parse(row.runs) as TokenRun[]),
        seed: row.seed,
        createdAt: row.created_at,
        updatedAt: row.updated_at
    };
}

export function toBaseline(row: BaselineRow): SpeedBaseline {
    const baseline = {pairKey: row.pair_key, device: row.device, expertTokensPerSecond: row.expert_tokens_per_second, measuredAt: row.measured_at};
    return row.curves == null ? baseline : {...baseline, curves: JSON.parse(row.curves) as CostCurves};
}
