// The renderer's entry: global styles, then the app mounted on #app, connected through the transport.
import "./styles/app.css";
import {mount} from "svelte";
import App from "./components/App.svelte";
import {connect} from "./transport/index.ts";
import {app} from "./lib/appState.svelte.ts";

mount(App, {target: document.getElementById("app")!});
void app.start(connect);
