const res = await fetch(
"http://localhost:29123/usergroup/get_all?token=EXAMPLE_TOKEN&page=1&pagesize=20"
);
console.log(await res.json());
