/**
 * A FrameChannel between the main process and one window's preload over Electron IPC (structured clone, no
 * JSON). Frames are accepted only from that window's own top frame, so another web contents (there should be
 * none) or a subframe cannot call the service.
 */
import type {FrameChannel} from "../../src-shared/index.ts";
import {RPC_CHANNEL, type IpcMain, type IpcMainEvent, type WebContents} from "./electronApi.ts";

export function ipcChannel(ipcMain: IpcMain, contents: WebContents): FrameChannel {
    let receive: ((frame: unknown) => void) | null = null;
    const closeListeners: (() => void)[] = [];
    let closed = false;

    const onMessage = (event: IpcMainEvent, frame: unknown) => {
        if (closed || event.sender.id !== contents.id || event.senderFrame == null || event.senderFrame.parent != null) return;
        receive?.(frame);
    };
    ipcMain.on(RPC_CHANNEL, onMessage as (event: IpcMainEvent, ...args: unknown[]) => void);

    function close(): void {
        if (closed) return;
        closed = true;
        ipcMain.removeListener(RPC_CHANNEL, onMessage);
        for (const listener of closeListeners) listener();
    }
    // The link lasts as long as the window's web contents: a reload (or a crashed renderer reloaded) runs a new
    // preload whose client talks over the same link; requests are stateless, so nothing carries over.
    contents.on("destroyed", close);

    return {
        send(frame) {
            if (!closed && !contents.isDestroyed()) contents.send(RPC_CHANNEL, frame);
        },
        onFrame(listener) {
            receive = listener;
        },
        onClose(listener) {
            if (closed) listener();
            else closeListeners.push(listener);
        },
        close
    };
}
