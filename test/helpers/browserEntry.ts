/**
 * The page script of the browser transport test: the real renderer transport (src-renderer/transport),
 * bundled by the test with esbuild and exposed on `window` so the test can drive it from Chromium.
 */
import type {ServiceEvent} from "../../src-shared/index.ts";
import {connect, type Connection} from "../../src-renderer/transport/index.ts";

type TestWindow = {
    tandemTest: {
        connection: Connection | null;
        events: ServiceEvent[];
        connect(): Promise<string>;
    };
};

const state: TestWindow["tandemTest"] = {
    connection: null,
    events: [],
    async connect() {
        const connection = await connect();
        connection.subscribe((event) => state.events.push(event));
        state.connection = connection;
        return connection.kind;
    }
};
(globalThis as unknown as TestWindow).tandemTest = state;
