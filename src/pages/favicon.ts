// The pages' icon, so a browser's automatic /favicon.ico request gets an icon instead of the
// JSON 404: an SVG for <link rel="icon">, and for /favicon.ico the same picture as a 32×32 PNG
// (rendered once from the SVG in Chromium) inside an ICO container.
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0f766e"/>' +
  '<path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

const FAVICON_PNG_32 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAACWklEQVR4nMSX3UsUURjGn3NmBrXwI4rAurCuS+hrV/u4CYLK6CZKU8kiIhAljCC77LKIakn7ICIIWos1CCKof0DJdc2FCrrowiyFumkyqFZzTu+77Swaug7M7JwfHGbOnGF+z5w5c2aOibl0dVVVWLNnaa+eyiYhxGoEgFLqK23SVF5NzRjXEYvZbptwdyq6O/dDiXsCYg2KiIKahFCnpi73vsgHIPleoeRLhIgSTgOHEJUX2lcox3pHSaoRItmemDFrpXLM42HLmeyjtv60SYpSD12Q2xTQF4DdJoSogS7ILaEZE0WiqmxZdmv/+onQA7RsjeLaoUaaAYGDd3uQGv+46LmBP4LWbXW41diKUtNCmWWhaXOk4PmB9gDLbx5pmXcsMZpCKAGObomg93Bzvk4fILQn4hgeH4OvAF4G00J33vnkER6/HsZSFAwQrVmPZ6c7soPp3NME+kaSnuQd/X2Ip4bghYIBmqlbeTAxPLDo/2Dehf3KmYJvwf9dyDKWBiVnjNKddRcXa5z4buOT/Q0HNtTmj/H+upWr0L1nn2/5kgGYN5MT+EwhGuaE2Fi9NhA542kiekgXZ8lC+JEznucBlsw6Dm7nBqP7nnt51QIJwLDMIXFbdDseJAfRPzoCv4jK82cUNKL9f0DS7X+BJthNPaDS0IZKS/FvyaQFdsuMNO5QX9gIG3KyW/6+FBtzFE4iZMh5gt0GV6YHh96X7Irwt3Y3rVjKUURyi9OmH1d6nnPdcBsyA8kPmciO+yXSmeYqlXKa8ZYjAHLL8wEqcVqeH8tcvfHWbfsLAAD//x4/RuEAAAAGSURBVAMAVeTpe6wxDJMAAAAASUVORK5CYII=',
  'base64',
);

/** An ICO file holding one PNG image (allowed since Windows Vista; every current browser reads it). */
function icoOf(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6); // width
  header.writeUInt8(size, 7); // height
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9); // reserved
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14); // image size
  header.writeUInt32LE(header.length, 18); // image offset
  return Buffer.concat([header, png]);
}

export const FAVICON_ICO = icoOf(FAVICON_PNG_32, 32);
