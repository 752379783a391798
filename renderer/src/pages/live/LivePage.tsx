// `/live/:runId`: one run as it happens; `/live`: the runs going on now.
import { useParams } from 'react-router';
import { ActiveRuns } from './ActiveRuns';
import { LiveRun } from './LiveRun';

export default function LivePage() {
  const { runId } = useParams();
  return runId ? <LiveRun key={runId} runId={runId} /> : <ActiveRuns />;
}
