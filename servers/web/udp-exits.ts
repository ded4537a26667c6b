// What keeps a page from sending data over UDP, where routing and the filter proxy cannot see it.
// Three layers, each enough for WebRTC on its own:
// 1. the launch switch `--webrtc-ip-handling-policy=disable_non_proxied_udp` (shared/chromium.ts):
//    WebRTC may then only use TCP through the session's proxy, which refuses what the allowlist
//    refuses, so no STUN check or ICE candidate leaves by UDP;
// 2. `removeUdpExits`, an init script run in every document of a session before its own scripts —
//    frames and popups created later included — that deletes the WebRTC and WebTransport
//    constructors, so a page finds nothing to start with;
// 3. WebTransport (QUIC) is never sent through a proxy by Chromium, so for every origin that is not
//    an exactly-named allowed https origin it fails before a datagram is sent. This is what holds in
//    workers: no script can run in a worker before the worker's own (workers have no RTCPeerConnection).
// QUIC for ordinary requests is off (`--disable-quic`), and name lookups are confined to the allowed
// hosts by `hostResolverRules` (servers/web/allowlist-rules.ts).

/**
 * Runs in the page (serialized by Playwright, so it must not refer to anything outside itself).
 * Interface objects are configurable properties of the global object, so `delete` removes them.
 */
export function removeUdpExits(): void {
  const names = [
    'RTCPeerConnection',
    'webkitRTCPeerConnection',
    'RTCSessionDescription',
    'RTCIceCandidate',
    'RTCDataChannel',
    'RTCRtpSender',
    'RTCRtpReceiver',
    'RTCRtpTransceiver',
    'RTCDtlsTransport',
    'RTCIceTransport',
    'RTCSctpTransport',
    'RTCCertificate',
    'RTCDTMFSender',
    'RTCPeerConnectionIceEvent',
    'RTCDataChannelEvent',
    'RTCTrackEvent',
    'RTCRtpScriptTransform',
    'WebTransport',
    'WebTransportError',
    'WebTransportBidirectionalStream',
    'WebTransportDatagramDuplexStream',
  ];
  const scope = globalThis as unknown as Record<string, unknown>;
  for (const name of names) {
    try {
      delete scope[name];
    } catch {
      // A property that cannot be deleted is left; the launch switches still hold.
    }
  }
}
