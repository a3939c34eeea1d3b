/**
 * Entry script of the engine process: the only process that loads llama.cpp. Started by the service's
 * EngineLauncher, with Node's `child_process.fork` (web mode, tests) or Electron's `utilityProcess.fork`
 * (the desktop app); it speaks engineProtocol.ts over whichever channel it was given. If llama.cpp aborts
 * (a malformed model can make it SIGABRT), only this process dies; the service reports it and starts a new one.
 */
import {openParentChannel} from "./engineChannel.ts";
import {EngineWorker} from "./engineWorker.ts";

const channel = openParentChannel();
const worker = new EngineWorker((reply) => channel.send(reply));
channel.onRequest((request) => worker.handle(request));
channel.send({type: "hello", pid: process.pid});
