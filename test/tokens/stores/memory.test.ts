import { MemoryStore } from "gatehouse/tokens";
import { runStoreContract } from "./store.contract.ts";

runStoreContract({ name: "memory", makeStore: (now) => new MemoryStore({ now }), skip: false });
