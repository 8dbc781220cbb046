// The share page: one marker for the truck, moved by the share socket's `position` events.
(function () {
  "use strict";
  var el = document.getElementById("map");
  var statusEl = document.getElementById("share-status");
  var etaEl = document.getElementById("share-eta");
  var map = L.map(el, { zoomControl: true }).setView([0, 0], 2);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
  }
  var icon = L.icon({
    iconUrl: el.dataset.markerIcon, iconRetinaUrl: el.dataset.markerIcon2x,
    shadowUrl: el.dataset.markerShadow, iconSize: [25, 41], iconAnchor: [12, 41], shadowSize: [41, 41]
  });
  var marker = null;
  if (el.dataset.inProgress !== "true") { return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var socket = new WebSocket(scheme + window.location.host + el.dataset.socketPath);
  socket.onmessage = function (message) {
    var event = JSON.parse(message.data);
    if (event.type === "position") {
      var here = [event.lat, event.lng];
      if (marker === null) { marker = L.marker(here, { icon: icon }).addTo(map); map.setView(here, 14); }
      else { marker.setLatLng(here); map.panTo(here); }
      statusEl.textContent = "Last seen " + new Date(event.recorded_at).toLocaleTimeString();
      if (event.eta_minutes !== undefined) {
        etaEl.textContent = "About " + event.eta_minutes + " min (" + event.distance_remaining_km + " km) to go";
      }
    } else if (event.type === "status" && event.kind === "arriving") {
      statusEl.textContent = event.stop === "origin" ? "The truck is arriving for pickup." : "The truck is arriving.";
    }
  };
  socket.onclose = function (event) {
    statusEl.textContent = event.code === 4409 ? "The job is over." : "Live tracking has ended.";
  };
})();
