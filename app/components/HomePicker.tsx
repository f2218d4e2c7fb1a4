import { useFetcher } from "@remix-run/react";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { useState } from "react";
import type { Community, HomeFinderAnswer } from "~/server/claims/owner-page.server";
import { buildingLabel } from "~/shared/home-address";
import { roomMatches, wholeRoomFirst } from "./room-match";

// 小区 → 楼栋 → 房号: cascading choices fed by the public home finder (/owner/homes). It knows the
// buildings and rooms, never who lives there.

export function HomePicker({ communities, onPick }: { communities: Community[]; onPick: (unitId: string | null) => void }) {
  const buildings = useFetcher<HomeFinderAnswer>();
  const rooms = useFetcher<HomeFinderAnswer>();
  const [projectId, setProjectId] = useState<string | null>(null);
  const [building, setBuilding] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const pick = (id: string | null) => {
    setUnitId(id);
    onPick(id);
  };

  const buildingList = buildings.data?.kind === "buildings" ? buildings.data.buildings : [];
  const roomList = rooms.data?.kind === "rooms" ? rooms.data.rooms : [];
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Select
        aria-label="小区"
        placeholder="请选择小区"
        showSearch
        optionFilterProp="label"
        style={{ width: "100%" }}
        value={projectId}
        options={communities.map((c) => ({
          value: c.projectId,
          label: c.communityName === c.projectName ? c.communityName : `${c.communityName}（${c.projectName}）`,
        }))}
        onChange={(id: string) => {
          setProjectId(id);
          setBuilding(null);
          pick(null);
          buildings.load(`/owner/homes?${new URLSearchParams({ projectId: id })}`);
        }}
      />
      <Select
        aria-label="楼栋"
        placeholder="请选择楼栋"
        style={{ width: "100%" }}
        disabled={!projectId}
        loading={buildings.state !== "idle"}
        value={building}
        options={buildingList.map((b) => ({ value: b, label: buildingLabel(b) }))}
        onChange={(b: string) => {
          setBuilding(b);
          pick(null);
          rooms.load(`/owner/homes?${new URLSearchParams({ projectId: projectId!, building: b })}`);
        }}
      />
      <Select
        aria-label="房号"
        placeholder="请选择单元和房号，可输入房号查找"
        showSearch
        filterOption={(typed, option) => !!option && roomMatches(typed, option.room, building!, roomList)}
        filterSort={(a, b, { searchValue }) => wholeRoomFirst(searchValue)(a.room, b.room)}
        style={{ width: "100%" }}
        disabled={!building}
        loading={rooms.state !== "idle"}
        value={unitId}
        options={roomList.map((r) => ({ value: r.unitId, label: r.label, room: r }))}
        onChange={(id: string) => pick(id)}
      />
    </Space>
  );
}
