import { render } from "preact";
import { App } from "./app";
import { startFirebase } from "./data/firebase";
import { watchSession } from "./data/session";
import "./styles.css";

const root = document.getElementById("app")!;

startFirebase()
  .then(() => {
    watchSession();
    render(<App />, root);
  })
  .catch((error: unknown) => {
    root.innerHTML = "";
    const p = document.createElement("p");
    p.className = "alert alert-error";
    p.setAttribute("role", "alert");
    p.textContent = `FlowShare could not start: ${error instanceof Error ? error.message : String(error)}`;
    const main = document.createElement("main");
    main.append(p);
    root.append(main);
  });
