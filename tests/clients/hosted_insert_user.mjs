const res = await fetch("https://api.amove.io/api/v1/user/insert_user", {
method: "POST",
headers: {
"Authorization": "Bearer EXAMPLE_TOKEN",
"Content-Type": "application/json"
},
body: JSON.stringify({
username: "newuser@example.com",
email: "newuser@example.com",
firstname: "New",
lastname: "User",
userType: 32
})
});
console.log(await res.json());
