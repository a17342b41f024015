// A soft two-note chime for a moderator when someone knocks or a report
// comes in: heard even when the tab is not the one in front. Browsers let a
// page sound only after a click on it, which a moderator's login is.
let audio = null;

export function chime() {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, pitch] of [[0, 660], [0.18, 880]]) {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = pitch;
      volume.gain.setValueAtTime(0.0001, start + offset);
      volume.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
      tone.connect(volume).connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.32);
    }
  } catch {
    // No sound on this device: the title still counts what waits.
  }
}
