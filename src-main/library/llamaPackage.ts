/**
 * The library's one door to node-llama-cpp: its GGUF header reader (readGgufFileInfo) and its downloader
 * (createModelDownloader). Both are plain JavaScript: importing node-llama-cpp does not load llama.cpp's
 * native binding (that happens in getLlama(), which only the engine process calls; the library's model tests
 * check the process maps for a loaded `.node` file after a scan and a download). The import is lazy, so a
 * service that never scans or downloads never pays for it (about 0.6 s on this machine).
 */
type NodeLlamaCpp = typeof import("node-llama-cpp");

let loading: Promise<NodeLlamaCpp> | null = null;

export function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
    loading ??= import("node-llama-cpp");
    return loading;
}
