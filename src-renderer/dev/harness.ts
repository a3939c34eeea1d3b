/**
 * Screenshot harness (never part of the app build or of any test): mounts the real App on a canned
 * Connection, so the components can be looked at without a service. `?scenario=long|empty|error|idle`.
 * Built with `npx vite build --mode harness`, served with `npx vite preview --mode harness`.
 */
import "../styles/app.css";
import {mount} from "svelte";
import App from "../components/App.svelte";
import {app} from "../lib/appState.svelte.ts";
import {cannedConnection} from "./cannedConnection.ts";

const scenario = new URLSearchParams(location.search).get("scenario") ?? "long";
mount(App, {target: document.getElementById("app")!});
void app.start(async () => cannedConnection(scenario));
