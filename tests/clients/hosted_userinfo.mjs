const res = await fetch("https://api.amove.io/api/v1/user/userinfo", {
headers: { "Authorization": "Bearer EXAMPLE_TOKEN" }
});
console.log(await res.json());
