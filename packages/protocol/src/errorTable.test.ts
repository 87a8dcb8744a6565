import { describe, expect, it } from "vitest";
import { RPCErrorCode } from "./enums.js";
import { isRPCErrorCode, RPC_ERRORS, rpcErrorMessage } from "./errorTable.js";

const CODES = Object.values(RPCErrorCode).filter((v): v is RPCErrorCode => typeof v === "number");

describe("RPC error table", () => {
  it("has one row per code, named after the enum member", () => {
    expect(Object.keys(RPC_ERRORS).map(Number).sort()).toEqual([...CODES].sort());
    for (const code of CODES) {
      expect(RPC_ERRORS[code].code).toBe(code);
      expect(RPCErrorCode[RPC_ERRORS[code].name]).toBe(code);
    }
  });

  it("fills the method name into the message", () => {
    expect(rpcErrorMessage(RPCErrorCode.METHOD_NOT_FOUND, "add")).toBe("RPC method 'add' not found.");
    for (const code of CODES) expect(rpcErrorMessage(code, "m$&x")).toContain("'m$&x'");
  });

  it("recognises exactly the wire codes", () => {
    for (const code of CODES) expect(isRPCErrorCode(code)).toBe(true);
    for (const v of [-32600, 0, "-32601", null, undefined, -32601.5, Number.NaN]) expect(isRPCErrorCode(v)).toBe(false);
  });
});
