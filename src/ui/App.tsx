export function App() {
  return (
    <main>
      <h1>nova-upgrade-lab</h1>
      <p>How OpenStack Nova survives rolling upgrades, simulated service by service.</p>
    </main>
  );
}
