import { useFetcher } from "@remix-run/react";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { useState } from "react";
import type { Community, HomeFinderAnswer } from "~/server/claims/owner-page.server";
import { buildingLabel } from "~/shared/home-address";
import { communityLabel, searchCommunities, useHomeFinder } from "./owner/finder";
import { roomMatches, wholeRoomFirst } from "./room-match";

// 小区 → 楼栋 → 房号: cascading choices fed by the public home finder (/owner/homes). It knows the
// buildings and rooms, never who lives there. The communities are found as the agent types (the
// first few by name, as the owners' page finds them), not sent with the page: a city has thousands.

/** The communities whose name holds what is typed (none while asked); `first` before anything is typed. */
function useCommunitySearch(first: Community[]) {
  const finder = useHomeFinder();
  const found = finder.data?.kind === "communities" ? finder.data.communities : finder.busy ? [] : first;
  return { communities: found, search: (typed: string) => searchCommunities(finder, typed), searching: finder.busy };
}

/**
 * The 小区 → 楼栋 → 房号 picker; `communities` are those offered before anything is typed (the first
 * few by name).
 */
export function HomePicker({ communities: first, onPick }: { communities: Community[]; onPick: (unitId: string | null) => void }) {
  const { communities, search, searching } = useCommunitySearch(first);
  // The chosen community, value and label: it stays shown whatever a later search finds.
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const buildings = useFetcher<HomeFinderAnswer>();
  const rooms = useFetcher<HomeFinderAnswer>();
  const projectId = chosen?.value ?? null;
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
        placeholder="请选择小区，可输入名称查找"
        showSearch
        // The server finds them (by community or project name); the list shows what it found.
        filterOption={false}
        onSearch={search}
        loading={searching}
        notFoundContent={searching ? "查找中…" : "未找到该小区，请核对名称"}
        style={{ width: "100%" }}
        labelInValue
        value={chosen}
        options={communities.map((c) => ({ value: c.projectId, label: communityLabel(c) }))}
        onChange={(picked: { value: string; label: string }) => {
          const id = picked.value;
          setChosen(picked);
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
