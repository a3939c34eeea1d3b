/**
 * The one shape every transport is reduced to: a bidirectional link carrying decoded frames (plain objects).
 * A WebSocket adapter turns text into frames with JSON; Electron IPC carries them by structured clone. birpc
 * runs on top of it on both ends (serveApi.ts, rpcClient.ts). No Node or DOM imports.
 */
export interface FrameChannel {
    /** Sends one frame; a no-op (never a throw) once the link has closed. */
    send(frame: object): void;
    /** Sets the one receiver of incoming frames (decoded, not yet checked). */
    onFrame(listener: (frame: unknown) => void): void;
    /** Called once, when the link closes from either side. */
    onClose(listener: () => void): void;
    close(): void;
}
