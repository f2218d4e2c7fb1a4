import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { demoProjects } from "~/demo/demo-projects";
import { DISTRICTS, districtName, ZONE_HOST_DISTRICTS, type DistrictCode } from "~/shared/districts";

// The risk map draws Kunming's districts from the GeoJSON in app/assets/geo/: every demo project
// must sit inside the boundary of its district (a management zone's project inside the district
// the zone lies in), and every district the map colours must be one of the platform's.

type Ring = [number, number][];
interface Feature {
  id: string;
  properties: { name: string };
  geometry: { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
}

const geo = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../app/assets/geo/kunming-districts.json"), "utf8")) as {
  features: Feature[];
};

/** Ray casting: whether the point is inside the ring (a point on the edge may go either way). */
function inRing([x, y]: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inFeature(point: [number, number], feature: Feature): boolean {
  const polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  return polygons.some(([outer, ...holes]) => inRing(point, outer) && !holes.some((hole) => inRing(point, hole)));
}

const featureNamed = (name: string) => geo.features.find((f) => f.properties.name === name);

describe("the risk map's districts", () => {
  it("are Kunming's fourteen statutory divisions, each named as the platform names it", () => {
    const platformNames = DISTRICTS.map((d) => d.name as string);
    expect(geo.features.map((f) => f.properties.name).sort()).toEqual(
      platformNames.filter((name) => !Object.keys(ZONE_HOST_DISTRICTS).some((zone) => districtName(zone) === name)).sort(),
    );
  });

  it("give 晋宁区 the code it had as a county (530122): the map matches districts by name, not by that id", () => {
    expect(featureNamed("晋宁区")?.id).toBe("530122");
    expect(districtName("530115")).toBe("晋宁区");
  });
});

describe("every demo project", () => {
  const projects = demoProjects(new Date(Date.UTC(2026, 11, 1)));

  it.each(projects.map((p) => [p.registration.name as string, p] as const))("%s lies inside its district", (_name, p) => {
    const code = p.registration.district as DistrictCode;
    const drawnIn = ZONE_HOST_DISTRICTS[code] ?? code;
    const feature = featureNamed(districtName(drawnIn));
    expect(feature, `no boundary for ${districtName(drawnIn)}`).toBeDefined();
    const point: [number, number] = [p.registration.longitude as number, p.registration.latitude as number];
    expect(inFeature(point, feature!), `${point.join(",")} is outside ${districtName(drawnIn)}`).toBe(true);
  });
});
