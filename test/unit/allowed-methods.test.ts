import { describe, expect, it } from "vitest";
import { allowedMethods, refusedMethod } from "~/server/http/methods.server";

describe("the methods an address takes", () => {
  it("reads a fixed API address before a template it also fits", () => {
    // /api/v1/processes/dry-run also fits /api/v1/processes/{key}/… templates' shape.
    expect(refusedMethod("POST", "/api/v1/processes/dry-run")).toBeNull();
    expect(allowedMethods("/api/v1/processes/dry-run")).toEqual(["POST"]);
    expect(allowedMethods("/api/v1/processes/claim/instances")).toEqual(["POST"]);
  });

  it("names what an address takes when it refuses a method", () => {
    expect(refusedMethod("DELETE", "/api/v1/tasks")).toBe("GET, HEAD");
    expect(refusedMethod("PUT", "/export/projects")).toBe("GET, HEAD");
    expect(refusedMethod("GET", "/owner/chat")).toBe("POST");
  });
});
