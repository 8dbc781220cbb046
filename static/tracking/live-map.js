// The managers' live map: one labelled marker per truck, from the table's data attributes, then
// moved by the company's fleet socket (`position` frames; the newest `recorded_at` wins). The
// socket authenticates with the session cookie; it reconnects after a drop, backing off.
(function () {
  "use strict";
  var el = document.getElementById("live-map");
  if (!el || typeof L === "undefined") { return; }
  var statusEl = document.getElementById("live-map-status");
  var map = L.map(el, { zoomControl: true }).setView([46.5, 2.5], 5);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
  }
  var trucks = {};  // truck id -> {row, marker, recordedAt}

  function rowFor(id) {
    return document.querySelector('#live-map-trucks tr[data-truck="' + id + '"]');
  }

  function iconFor(plate) {
    var label = document.createElement("span");
    label.textContent = plate;
    return L.divIcon({ className: "truck-marker", html: label, iconSize: null });
  }

  function place(id, lat, lng, recordedAt, booking) {
    var entry = trucks[id] || (trucks[id] = { row: rowFor(id), marker: null, recordedAt: "" });
    if (entry.recordedAt && Date.parse(recordedAt) < Date.parse(entry.recordedAt)) { return; }
    entry.recordedAt = recordedAt;
    var plate = entry.row ? entry.row.dataset.plate : "Truck " + id;
    if (entry.marker === null) {
      entry.marker = L.marker([lat, lng], { icon: iconFor(plate), title: plate, alt: plate, keyboard: false }).addTo(map);
    } else {
      entry.marker.setLatLng([lat, lng]);
    }
    var markerEl = entry.marker.getElement();
    if (markerEl) {
      markerEl.dataset.truck = String(id);
      markerEl.dataset.lat = lat.toFixed(6);
      markerEl.dataset.lng = lng.toFixed(6);
      markerEl.dataset.recordedAt = recordedAt;
    }
    if (entry.row) {
      entry.row.dataset.lat = lat.toFixed(6);
      entry.row.dataset.lng = lng.toFixed(6);
      entry.row.dataset.recordedAt = recordedAt;
      entry.row.querySelector('[data-cell="seen"]').textContent = new Date(recordedAt).toLocaleString();
      entry.row.querySelector('[data-cell="position"]').textContent = lat.toFixed(5) + ", " + lng.toFixed(5);
      if (booking !== undefined) {
        entry.row.querySelector('[data-cell="job"]').textContent = booking ? "Booking #" + booking : "–";
      }
    }
  }

  var rows = document.querySelectorAll("#live-map-trucks tr[data-truck]");
  var bounds = [];
  Array.prototype.forEach.call(rows, function (row) {
    if (row.dataset.lat === undefined) { return; }
    var lat = parseFloat(row.dataset.lat), lng = parseFloat(row.dataset.lng);
    place(row.dataset.truck, lat, lng, row.dataset.recordedAt);
    bounds.push([lat, lng]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 13 }); }

  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + el.dataset.socketPath);
    socket.onopen = function () {
      delay = 1000;
      statusEl.textContent = "Live: positions update as the trucks report.";
      el.dataset.live = "true";
    };
    socket.onmessage = function (message) {
      var frame = JSON.parse(message.data);
      if (frame.type === "position") {
        place(String(frame.truck), frame.lat, frame.lng, frame.recorded_at, frame.booking);
      }
    };
    socket.onclose = function () {
      el.dataset.live = "false";
      statusEl.textContent = "Live updates paused; reconnecting…";
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
